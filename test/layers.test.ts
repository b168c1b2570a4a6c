/**
 * The layers are enforced by tools, not memory (conventions.md): ESLint refuses forbidden imports
 * per wing, dependency-cruiser refuses them too and finds cycles (`npm run layers`; one table of
 * allow-lists in .dependency-cruiser.cjs), and each wing's tsconfig has no Node/DOM types where
 * they don't belong.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const eslint = new ESLint({ cwd: root });
async function lint(file: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath: file });
  return (r?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'layers/allowed-imports' || m.fatal).map((m) => m.message);
}

describe('layers (architecture.md)', () => {
  it('src-shared may not import Node, SQLite or Electron', async () => {
    expect(await lint('src-shared/rules/x.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n")).toHaveLength(1);
    expect(await lint('src-shared/rules/x.ts', "import Database from 'better-sqlite3';\nexport const x = Database;\n")).toHaveLength(1);
    expect(await lint('src-shared/rules/x.ts', "import { app } from 'electron';\nexport const x = app;\n")).toHaveLength(1);
    expect(await lint('src-shared/rules/x.ts', "import { z } from 'zod';\nexport const x = z;\n")).toHaveLength(0);
  });

  it('src-renderer may not import Node or the main process', async () => {
    expect(await lint('src-renderer/x.ts', "import { join } from 'path';\nexport const x = join;\n")).toHaveLength(1);
    expect(await lint('src-renderer/x.ts', "import { openJournal } from '../src-main/journal/open';\nexport const x = openJournal;\n")).toHaveLength(1);
  });

  it('only src-main/electron may import electron', async () => {
    expect(await lint('src-main/journal/x.ts', "import { app } from 'electron';\nexport const x = app;\n")).toHaveLength(1);
    expect(await lint('src-main/electron/x.ts', "import { app } from 'electron';\nexport const x = app;\n")).toHaveLength(0);
  });

  it('the shared wing compiles without Node or DOM types', () => {
    const cfg = JSON.parse(readFileSync(new URL('../src-shared/tsconfig.json', import.meta.url), 'utf8')) as { compilerOptions: { lib: string[]; types: string[] } };
    expect(cfg.compilerOptions.types).toEqual([]);
    expect(cfg.compilerOptions.lib.some((l) => l.toUpperCase().startsWith('DOM'))).toBe(false);
  });
});

/**
 * A forbidden import planted in a file inside each wing: ESLint and dependency-cruiser both refuse
 * it, and both pass the same file with an allowed import instead. The wings are copied to a
 * temporary folder with the configs (node_modules linked in) and the files planted there, so a
 * lint, typecheck or test running beside this one never sees them.
 */
interface Plant { file: string; forbidden: string; allowed: string }
const plants: Plant[] = [
  { file: 'src-shared/rules/planted.ts', forbidden: "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", allowed: "import { z } from 'zod';\nexport const x = z;\n" },
  { file: 'src-shared/rules/planted-main.ts', forbidden: "import type { Journal } from '../../src-main/journal/open';\nexport type X = Journal;\n", allowed: "import type { LocalDate } from '../domain/values';\nexport type X = LocalDate;\n" },
  { file: 'src-renderer/planted.ts', forbidden: "import { openJournal } from '../src-main/journal/open';\nexport const x = openJournal;\n", allowed: "import { useState } from 'react';\nexport const x = useState;\n" },
  { file: 'src-main/journal/planted.ts', forbidden: "import { app } from 'electron';\nexport const x = app;\n", allowed: "import Database from 'better-sqlite3';\nexport const x = Database;\n" },
  // The journal and the commands know nothing of printers or the contract router above them.
  { file: 'src-main/commands/planted.ts', forbidden: "import { asBase64 } from '../reports/print';\nexport const x = asBase64;\n", allowed: "import { execute } from './execute';\nexport const x = execute;\n" },
  { file: 'src-main/journal/planted-contract.ts', forbidden: "export const x = () => import('../contract/dispatch');\n", allowed: "export const x = () => import('./open');\n" },
  { file: 'src-server/planted.ts', forbidden: "import { app } from 'electron';\nexport const x = app;\n", allowed: "import { openJournal } from '../src-main/journal/open';\nexport const x = openJournal;\n" },
  { file: 'src-server/planted-ui.ts', forbidden: "export { x } from '../src-renderer/planted';\n", allowed: "export { methods as x } from '../src-shared/contract/methods';\n" },
  // The server never imports the command line.
  { file: 'src-server/planted-cli.ts', forbidden: "import { main } from '../src-main/cli/main';\nexport const x = main;\n", allowed: "import { dispatch } from '../src-main/contract/dispatch';\nexport const x = dispatch;\n" },
];

let copy = '';
beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'ejournal-layers-'));
  for (const wing of ['src-shared', 'src-renderer', 'src-main', 'src-server']) cpSync(join(root, wing), join(copy, wing), { recursive: true });
  for (const file of ['.dependency-cruiser.cjs', 'eslint.config.js', 'tsconfig.base.json', 'tsconfig.tools.json']) cpSync(join(root, file), join(copy, file));
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'junction');
});
afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

function plant(which: 'forbidden' | 'allowed'): void {
  for (const p of plants) writeFileSync(join(copy, p.file), p[which]);
}

/** ESLint's layer messages (and any fatal one) per planted file (the copy's eslint.config.js, as `npm run lint`). */
async function eslintSays(): Promise<Map<string, string[]>> {
  const results = await new ESLint({ cwd: copy }).lintFiles(plants.map((p) => p.file));
  return new Map(results.map((r) => [relative(copy, r.filePath), r.messages.filter((m) => m.ruleId === 'layers/allowed-imports' || m.fatal).map((m) => m.message)]));
}

/** dependency-cruiser on files of the copy (and what they import), as `npm run layers`: exit code and report. */
function cruise(files: string[]): { status: number | null; out: string } {
  const bin = join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
  const r = spawnSync(process.execPath, [bin, '--config', '.dependency-cruiser.cjs', '--output-type', 'err', ...files], { cwd: copy, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('layers: a forbidden import planted in each wing', () => {
  it('is refused by ESLint and by dependency-cruiser, and the same files with allowed imports pass both', async () => {
    plant('forbidden');
    const refused = await eslintSays();
    const cruised = cruise(plants.map((p) => p.file));
    plant('allowed');
    const passed = await eslintSays();
    const clean = cruise(plants.map((p) => p.file));

    for (const p of plants) {
      expect(refused.get(p.file), p.file).toHaveLength(1);
      expect(cruised.out, p.file).toMatch(new RegExp(`not-in-allowed: ${p.file.replace(/[.]/g, '\\.')} →`));
      expect(passed.get(p.file), p.file).toEqual([]);
    }
    expect(cruised.status).not.toBe(0);
    expect(clean.out).not.toMatch(/not-in-allowed|no-circular/);
    expect(clean.status).toBe(0);
  });

  it('dependency-cruiser refuses a cycle, a cycle of types too', () => {
    writeFileSync(join(copy, 'src-shared/rules/planted-a.ts'), "import type { B } from './planted-b';\nexport type A = { b?: B };\n");
    writeFileSync(join(copy, 'src-shared/rules/planted-b.ts'), "import type { A } from './planted-a';\nexport type B = { a?: A };\n");
    const r = cruise(['src-shared/rules/planted-a.ts', 'src-shared/rules/planted-b.ts']);
    expect(r.out).toMatch(/no-circular/);
    expect(r.status).not.toBe(0);
  });
});

/** Compiles `code` as a file of src-shared (in the copy), with src-shared's tsconfig; the diagnostics' texts. */
function compileInShared(code: string): string[] {
  const dir = mkdtempSync(join(copy, 'src-shared', 'planted-'));
  const file = join(dir, 'planted.ts');
  writeFileSync(file, code);
  // A temporary tsconfig extending src-shared's, with only the planted file and zod in it (zod where
  // the link points: the compiler resolves imports to real paths).
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: '../tsconfig.json', include: ['./planted.ts', join(root, 'node_modules/zod/**/*.d.cts')], exclude: [] }));
  const cfg = ts.getParsedCommandLineOfConfigFile(join(dir, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } });
  if (!cfg) throw new Error('no tsconfig');
  const program = ts.createProgram({ rootNames: cfg.fileNames, options: cfg.options });
  return ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName === file).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe("layers: no package's types widen src-shared's lib", () => {
  it('Buffer and process do not compile in src-shared, not even next to an import of pdfkit (whose @types bring in Node)', () => {
    const errors = compileInShared("import type PDFDocument from 'pdfkit';\nexport type D = typeof PDFDocument;\nexport const b = Buffer.from('x');\nexport const e = process.env;\n");
    expect(errors.some((m) => /Cannot find name 'Buffer'/.test(m))).toBe(true);
    expect(errors.some((m) => /Cannot find name 'process'/.test(m))).toBe(true);
    expect(errors.some((m) => /Cannot find module 'pdfkit'/.test(m))).toBe(true);
  });

  it("the renderer's program holds no Node types either (no package of the UI brings them in)", () => {
    const cfg = ts.getParsedCommandLineOfConfigFile(join(root, 'src-renderer/tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
    if (!cfg) throw new Error('no tsconfig');
    const files = ts.createProgram({ rootNames: cfg.fileNames, options: cfg.options }).getSourceFiles().map((f) => f.fileName);
    expect(files.some((f) => f.includes('/src-renderer/'))).toBe(true);
    expect(files.filter((f) => f.includes('/@types/node/'))).toEqual([]);
  });

  it('zod and plain TypeScript compile there, with zod its real types', () => {
    expect(compileInShared("import { z } from 'zod';\nexport const n: string = z.object({ a: z.string() }).parse({}).a;\n")).toEqual([]);
    expect(compileInShared("import { z } from 'zod';\nexport const n: number = z.object({ a: z.string() }).parse({}).a;\n").join('\n')).toMatch(/not assignable to type 'number'/);
  });
});
