/**
 * The desktop's packaging and security configuration, checked without the Electron binary:
 * electron-builder.yml (loaded and validated by electron-builder itself) and what it packs — the
 * app's files, node_modules, extraResources, asarUnpack — computed by electron-builder's own
 * dependency collector and file matchers against this repository; the scripts, the preload
 * bundle, and the BrowserWindow settings of the main process.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const require = createRequire(join(root, 'package.json'));

// electron-builder's internals (pinned with electron-builder 26 in package.json), typed as far as used here.
type Config = Record<string, unknown> & { electronFuses: Record<string, boolean>; asarUnpack: string[] };
interface Matcher { from: string; to: string; patterns: string[]; createFilter(): (file: string, stat: unknown) => boolean }
interface FileSet { src: string; destination: string; files: string[]; metadata: Map<string, { isDirectory(): boolean }> }
const eb = <T>(module: string) => require(`app-builder-lib/out/${module}`) as T;
const { getConfig, validateConfiguration } = eb<{ getConfig(dir: string, file: string, o: null): Promise<Config>; validateConfiguration(c: unknown, l: unknown): Promise<void> }>('util/config/config');
const { FileMatcher, getMainFileMatchers, getNodeModuleFileMatcher, getFileMatchers } = eb<{
  FileMatcher: new (from: string, to: string, expand: (s: string) => string, patterns: string[]) => Matcher;
  getMainFileMatchers(appDir: string, to: string, expand: (s: string) => string, platform: object, packager: object, outDir: string, compile: boolean): Matcher[];
  getNodeModuleFileMatcher(appDir: string, to: string, expand: (s: string) => string, platform: object, info: object): Matcher;
  getFileMatchers(c: Config, name: string, to: string, o: object): Matcher[] | null;
}>('fileMatcher');
const { computeFileSets, computeNodeModuleFileSets } = eb<{
  computeFileSets(m: Matcher[], transformer: null, packager: object, compile: boolean): Promise<FileSet[]>;
  computeNodeModuleFileSets(packager: object, m: Matcher): Promise<FileSet[]>;
}>('util/appFileCopier');
const { PM } = eb<{ PM: { NPM: string } }>('node-module-collector');
const { Platform } = eb<{ Platform: { LINUX: unknown; WINDOWS: unknown } }>('core');
const { DebugLogger, TmpDir, walk } = require('builder-util') as {
  DebugLogger: new (on: boolean) => { isEnabled: boolean };
  TmpDir: new (name: string) => { cleanup(): Promise<void> };
  walk(dir: string, filter?: (file: string, stat: unknown) => boolean): Promise<string[]>;
};

const load = () => getConfig(root, 'electron-builder.yml', null);
const posix = (p: string) => p.split(sep).join('/');
const same = (s: string) => s;

/** What the main process imports from node_modules (besides electron): its bundle's externals. */
async function mainImports(): Promise<string[]> {
  const r = await build({ entryPoints: [join(root, 'src-main/electron/main.ts')], bundle: true, platform: 'node', format: 'esm', packages: 'external', write: false, metafile: true, logLevel: 'silent', outdir: '/out' });
  const imported = Object.values(r.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external && !i.path.startsWith('node:')).map((i) => i.path));
  // A package found by path at run time (`createRequire(…).resolve('exceljs')`: the list import's
  // worker thread, src-main/admin/import/excel-bridge.ts) is needed as much as an import.
  const resolved = r.outputFiles.flatMap((f) => [...f.text.matchAll(/\.resolve\("([^"./][^"]*)"\)/g)].map((m) => m[1]!));
  const names = [...imported, ...resolved].map((p) => p.split('/').slice(0, p.startsWith('@') ? 2 : 1).join('/'));
  return [...new Set(names)].filter((n) => n !== 'electron').sort();
}

/** Where a dependency of the package at `from` resolves in the packed tree (Node's lookup, upwards). */
function resolveFrom(packed: ReadonlyMap<string, unknown>, from: string, name: string): string | null {
  for (let dir = from; ;) {
    const at = `${dir ? `${dir}/` : ''}node_modules/${name}`;
    if (packed.has(at)) return at;
    if (!dir) return null;
    const i = dir.lastIndexOf('/node_modules/');
    dir = i < 0 ? '' : dir.slice(0, i);
  }
}

/**
 * The packed app for one platform, as electron-builder would lay it out: every file (path inside
 * the app) and every node module (its place → package.json's name and dependencies).
 */
async function packApp(cfg: Config, platform: 'linux' | 'win') {
  const app = join(root, '.packed-app'); // a destination name only: nothing is written
  const tmp = new TmpDir('desktop-config-test');
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; dependencies: Record<string, string> };
  const platformOptions = (cfg[platform] ?? {}) as object;
  const info = {
    projectDir: root, appDir: root, buildResourcesDir: join(root, 'build'), isPrepackedAppAsar: false, areNodeModulesHandledExternally: false,
    config: cfg, debugLogger: new DebugLogger(false), tempDirManager: tmp, appInfo: { type: 'npm' },
    getWorkspaceRoot: async () => root, getPackageManager: async () => PM.NPM, originalMetadata: pkg, nodePackageName: pkg.name,
  };
  const packager = { info, config: cfg, platform: platform === 'win' ? Platform.WINDOWS : Platform.LINUX };
  try {
    const main = getMainFileMatchers(root, app, same, platformOptions, packager, join(root, 'out', 'installers'), false);
    const modules = getNodeModuleFileMatcher(root, app, same, platformOptions, info);
    const sets = [...await computeFileSets(main, null, packager, false), ...await computeNodeModuleFileSets(packager, modules)];
    const files: string[] = [];
    const nodeModules = new Map<string, { name: string; deps: string[]; optional: string[] }>();
    for (const set of sets) {
      const dest = posix(relative(app, set.destination));
      for (const f of set.files) if (!set.metadata.get(f)?.isDirectory()) files.push(posix(join(dest, relative(set.src, f))));
      if (dest.startsWith('node_modules/') && set.files.length > 0) {
        const pj = JSON.parse(readFileSync(join(set.src, 'package.json'), 'utf8')) as { name: string; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
        nodeModules.set(dest, { name: pj.name, deps: Object.keys(pj.dependencies ?? {}), optional: Object.keys(pj.optionalDependencies ?? {}) });
      }
    }
    return { files: files.sort(), nodeModules };
  } finally {
    await tmp.cleanup();
  }
}

/** extraResources: `{ from, to }` → the files under `from` (that exist here) at their place in resources/. */
async function extraResources(cfg: Config): Promise<{ from: string; files: string[] }[]> {
  const res = join(root, '.packed-resources');
  const matchers = getFileMatchers(cfg, 'extraResources', res, { macroExpander: same, customBuildOptions: {}, globalOutDir: join(root, 'out', 'installers'), defaultSrc: root }) ?? [];
  return Promise.all(matchers.map(async (m) => {
    const all = new FileMatcher(m.from, m.to, same, m.patterns.length ? m.patterns : ['**/*']);
    const files = await walk(m.from, all.createFilter()).catch(() => []);
    return { from: posix(relative(root, m.from)), files: files.map((f) => posix(join(relative(res, m.to), relative(m.from, f)))) };
  }));
}

const SERVER_ONLY = /^(fastify|@fastify\/.*|pg|pg-.*|pino|pino-.*|tsx|esbuild|autocannon|react|react-dom)$/;
const SOURCES_AND_TESTS = /(^|\/)(test|tests|e2e|__tests__)\/|\.test\.[cm]?[jt]sx?$|^src-[a-z]+\/|\.tsx?$/;

describe('electron-builder.yml', () => {
  it('sets the security fuses', async () => {
    const cfg = await load();
    expect(cfg.electronFuses).toEqual({
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
    await expect(validateConfiguration(await load(), new DebugLogger(false))).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...(await load()), electronFuses: { runAsNod: false } }, new DebugLogger(false))).rejects.toThrow();
  });
});

describe('what the installer packs', () => {
  let cfg: Config;
  let imports: string[];
  beforeAll(async () => { [cfg, imports] = await Promise.all([load(), mainImports()]); }, 60_000);
  const packs = new Map<string, ReturnType<typeof packApp>>();
  const packed = (platform: 'linux' | 'win') => packs.get(platform) ?? packs.set(platform, packApp(cfg, platform)).get(platform)!;

  it.each(['linux', 'win'] as const)('%s: the main process\'s modules and what they need, no server package, no sources or tests', async (platform) => {
    const { files, nodeModules } = await packed(platform);
    const app = files.filter((f) => !f.startsWith('node_modules/'));
    expect(app.filter((f) => f !== 'package.json' && !f.startsWith('dist/electron/')), 'app files outside dist/electron').toEqual([]);
    expect(app.filter((f) => SOURCES_AND_TESTS.test(f) || f.endsWith('.map')), 'sources, tests or source maps').toEqual([]);

    // Everything the main process imports resolves in the packed tree, with all it needs …
    expect(imports).toEqual(expect.arrayContaining(['better-sqlite3', 'drizzle-orm', 'electron-updater', 'exceljs', 'pdfkit', 'zod']));
    const needed = new Set<string>();
    const missing: string[] = [];
    const visit = (from: string, name: string, optional = false) => {
      const at = resolveFrom(nodeModules, from, name);
      if (!at) { if (!optional) missing.push(`${name} (needed from ${from || 'the app'})`); return; }
      if (needed.has(at)) return;
      needed.add(at);
      const m = nodeModules.get(at)!;
      for (const d of m.deps) visit(at, d);
      for (const d of m.optional) visit(at, d, true);
    };
    for (const name of imports) visit('', name);
    expect(missing, 'modules the main process needs but the installer leaves out').toEqual([]);
    // … and nothing else: no server-only package (fastify, @fastify/*, pg, pino, tsx, …), no unused one.
    const unneeded = [...nodeModules.keys()].filter((at) => !needed.has(at));
    expect(unneeded.filter((at) => SERVER_ONLY.test(nodeModules.get(at)!.name)), 'server-only packages').toEqual([]);
    expect(unneeded, 'packages the main process does not need: add them to the files exclusions in electron-builder.yml').toEqual([]);
  }, 60_000);

  it('the built app and preload are packed; their source maps, the sources and the tests are not', () => {
    const main = getMainFileMatchers(root, join(root, '.packed-app'), same, {}, { info: { projectDir: root, buildResourcesDir: join(root, 'build'), isPrepackedAppAsar: false, config: cfg, debugLogger: new DebugLogger(false) } }, join(root, 'out', 'installers'), false);
    const filter = main[0]!.createFilter();
    const file = { isDirectory: () => false };
    const packs = (p: string) => filter(join(root, p), file);
    expect(['dist/electron/main.mjs', 'dist/electron/preload.cjs', 'package.json'].filter((p) => !packs(p))).toEqual([]);
    expect(['dist/electron/main.mjs.map', 'src-main/electron/main.ts', 'src-main/desktop/shell.test.ts', 'test/desktop-config.test.ts', 'e2e/desktop.test.ts', 'dist/cli/ejournal.js', 'data/demo.sqlite', 'electron-builder.yml'].filter(packs)).toEqual([]);
  });

  it('extraResources: migrations, fonts and the UI build, nothing of the tests', async () => {
    const sets = await extraResources(cfg);
    expect(sets.map((s) => s.from)).toEqual(['migrations', 'resources/fonts', 'dist/renderer']);
    const files = sets.flatMap((s) => s.files);
    expect(files.some((f) => /^migrations\/.*\.sql$/.test(f))).toBe(true);
    expect(files.some((f) => /^fonts\/.*\.ttf$/.test(f))).toBe(true);
    expect(files.filter((f) => SOURCES_AND_TESTS.test(f) || f.endsWith('.map'))).toEqual([]);
  });

  it('asarUnpack takes better-sqlite3 (its native module) out of the asar, and nothing else', async () => {
    const { files } = await packed('linux');
    const unpack = new FileMatcher(root, root, same, cfg.asarUnpack).createFilter();
    const file = { isDirectory: () => false };
    const unpacked = files.filter((f) => unpack(join(root, f), file));
    expect(unpacked.some((f) => /^node_modules\/better-sqlite3\/build\/Release\/.*\.node$/.test(f)) || !files.some((f) => f.endsWith('.node'))).toBe(true);
    expect(unpacked.filter((f) => !f.startsWith('node_modules/better-sqlite3/'))).toEqual([]);
  }, 60_000);
});

describe('scripts', () => {
  const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  it('better-sqlite3 is rebuilt for Electron only when packaging, never on install', () => {
    for (const hook of ['preinstall', 'install', 'postinstall']) expect(scripts[hook]).toBeUndefined();
    // `prepare` (npm ci, npm pack) builds the command line (bin/build-cli.js), nothing native.
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(scripts[hook] ?? '').not.toMatch(/electron|rebuild|prebuild|node-gyp/);
    expect(scripts['dist:desktop']).toMatch(/electron-builder --config electron-builder\.yml/);
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
