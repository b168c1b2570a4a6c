/**
 * [7/7] The desktop's packaging and security configuration, checked without the Electron binary:
 * electron-builder's config (validated by electron-builder's own schema), the fuses, the scripts,
 * the preload bundle, and the BrowserWindow settings of the main process.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const require = createRequire(join(root, 'package.json'));
const load = async () => ((await import(pathToFileURL(join(root, 'electron-builder.config.mjs')).href)) as { default: Record<string, unknown> & { electronFuses: Record<string, boolean> } }).default;

describe('electron-builder config', () => {
  it('sets the security fuses from build/fuses.json', async () => {
    const cfg = await load();
    const fuses = JSON.parse(readFileSync(join(root, 'build', 'fuses.json'), 'utf8')) as Record<string, boolean>;
    expect(cfg.electronFuses).toEqual(fuses);
    expect(fuses).toEqual({
      runAsNode: false, enableCookieEncryption: true, enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false, enableEmbeddedAsarIntegrityValidation: true, onlyLoadAppFromAsar: true,
    });
  });

  it('packages NSIS per-machine, AppImage and deb, resources, unpacked better-sqlite3, the generic update feed', async () => {
    const cfg: Record<string, unknown> = await load();
    expect(cfg).toMatchObject({
      asar: true, npmRebuild: true, extraMetadata: { main: 'dist/electron/main.mjs' },
      nsis: { perMachine: true, oneClick: false }, linux: { target: ['AppImage', 'deb'] },
      asarUnpack: ['node_modules/better-sqlite3/**'], publish: [{ provider: 'generic' }],
    });
    expect(JSON.stringify(cfg.win)).toContain('nsis');
    expect(cfg.extraResources).toEqual(expect.arrayContaining([
      { from: 'migrations', to: 'migrations' }, { from: 'resources/fonts', to: 'fonts' }, { from: 'dist/renderer', to: 'renderer' },
    ]));
  });

  it('is valid for electron-builder 26 (its own schema)', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as { validateConfiguration(c: unknown, l: unknown): Promise<void> };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (on: boolean) => unknown };
    await expect(validateConfiguration(await load(), new DebugLogger(false))).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...(await load()), electronFuses: { runAsNod: false } }, new DebugLogger(false))).rejects.toThrow();
  });
});

describe('scripts', () => {
  const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  it('better-sqlite3 is rebuilt for Electron only when packaging, never on install', () => {
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(scripts[hook]).toBeUndefined();
    expect(scripts['dist:desktop']).toMatch(/electron-builder/);
    expect(scripts.start).toBe('node bin/start.js');
  });
});

describe('preload and main process', () => {
  it('the preload bundles to one CommonJS file that requires only electron', async () => {
    const r = await build({ entryPoints: [join(root, 'src-main/electron/preload.ts')], bundle: true, platform: 'node', format: 'cjs', external: ['electron'], write: false, logLevel: 'silent' });
    const code = r.outputFiles[0]!.text;
    expect([...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])).toEqual(['electron']);
    expect(code).toContain('exposeInMainWorld("ejournal"');
    expect(code).toContain('"ejournal"'); // the one channel
  });

  it('the window is context-isolated, sandboxed, without Node or webview', () => {
    const main = readFileSync(join(root, 'src-main/electron/main.ts'), 'utf8');
    const prefs = [...main.matchAll(/webPreferences: \{([^}]*)\}/g)].map((m) => m[1]!);
    expect(prefs.length).toBe(2); // the journal window and the PDF preview
    for (const p of prefs) {
      expect(p).toMatch(/contextIsolation: true/);
      expect(p).toMatch(/sandbox: true/);
      expect(p).toMatch(/nodeIntegration: false/);
      expect(p).toMatch(/webviewTag: false/);
    }
    expect(main).toMatch(/requestSingleInstanceLock\(\)/);
    expect(main).not.toMatch(/openExternal|file:\/\//);
    expect(main.match(/ipcMain\.(handle|on)\(/g)).toHaveLength(1);
  });
});
