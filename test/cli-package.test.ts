/**
 * The package as an administrator installs it: `npm pack` (npm's `prepare` builds dist/cli), then
 * `npm i -g --prefix <tmp> <tarball>`, then the installed `ejournal`.
 *
 * SLOW (10–20 s) and it uses the npm registry: a package has no lockfile, so the global install
 * resolves the tarball's dependencies — from npm's cache when it has them (--prefer-offline), from
 * the registry otherwise. It installs with --ignore-scripts: the SQLite driver's install script
 * downloads a prebuilt binary from GitHub, or compiles one with node-gyp (Node's headers from
 * nodejs.org, minutes on two cores). So only commands that load no native code run here: `help`
 * (the router alone) and `api-doc` (a lazily loaded chunk and a dependency, zod).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const dir = mkdtempSync(join(tmpdir(), 'ejournal-package-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = { ...process.env, PATH: `${dirname(process.execPath)}${process.platform === 'win32' ? ';' : ':'}${process.env.PATH ?? ''}`, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };

function run(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 110_000, shell: process.platform === 'win32' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('the installed package (slow: npm pack, npm i -g from the registry or its cache)', () => {
  it('npm pack → npm i -g --prefix DIR → `ejournal help` and `ejournal api-doc` run from dist/cli, without the sources', () => {
    const packed = run(NPM, ['pack', '--pack-destination', dir], ROOT);
    expect(packed.code, packed.err).toBe(0);
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    expect(tarball).toBeDefined();

    const prefix = join(dir, 'global');
    const installed = run(NPM, ['install', '--global', '--prefix', prefix, '--ignore-scripts', '--prefer-offline', join(dir, tarball!)], dir);
    expect(installed.code, installed.err).toBe(0);

    const pkg = join(prefix, process.platform === 'win32' ? '' : 'lib', 'node_modules', 'ejournal');
    expect(existsSync(join(pkg, 'dist', 'cli', 'ejournal.mjs'))).toBe(true);
    expect(existsSync(join(pkg, 'migrations', 'journal'))).toBe(true);
    expect(existsSync(join(pkg, 'resources', 'fonts'))).toBe(true);
    expect(existsSync(join(pkg, 'src-main'))).toBe(false);
    expect(existsSync(join(pkg, 'node_modules', 'tsx'))).toBe(false); // a devDependency now
    expect(existsSync(join(pkg, 'node_modules', 'esbuild'))).toBe(false);

    const bin = join(prefix, process.platform === 'win32' ? 'ejournal.cmd' : join('bin', 'ejournal'));
    const help = run(bin, ['help'], dir);
    expect(help.code, help.err).toBe(0);
    expect(help.out).toMatch(/ejournal demo --out FILE/);
    expect(help.err).toBe('');

    const doc = run(bin, ['api-doc'], dir);
    expect(doc.code, doc.err).toBe(0);
    expect(doc.out).toMatch(/^# API \(contract\)/);
  }, 120_000);
});
