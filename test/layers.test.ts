/**
 * The layers are enforced by tools, not memory (conventions.md): ESLint refuses forbidden imports
 * per wing, dependency-cruiser refuses them too and finds cycles (`npm run layers`; one table of
 * allow-lists in .dependency-cruiser.cjs), and each wing's tsconfig has no Node/DOM types where
 * they don't belong.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const eslint = new ESLint({ cwd: root });
async function lint(file: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath: file });
  return (r?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'layers/allowed-imports').map((m) => m.message);
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
 * A forbidden import planted in a real file inside each wing: ESLint and dependency-cruiser both
 * refuse it, and both pass the same file with an allowed import instead. The files live for the
 * few seconds of this test, under names nobody else uses.
 */
interface Plant { file: string; forbidden: string; allowed: string }
const tag = `layers-probe-${process.pid}-${randomBytes(3).toString('hex')}`;
const plants: Plant[] = [
  { file: `src-shared/rules/${tag}.ts`, forbidden: "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", allowed: "import { z } from 'zod';\nexport const x = z;\n" },
  { file: `src-shared/rules/${tag}-main.ts`, forbidden: "import type { Journal } from '../../src-main/journal/open';\nexport type X = Journal;\n", allowed: "import type { LocalDate } from '../domain/values';\nexport type X = LocalDate;\n" },
  { file: `src-renderer/${tag}.ts`, forbidden: "import { openJournal } from '../src-main/journal/open';\nexport const x = openJournal;\n", allowed: "import { useState } from 'react';\nexport const x = useState;\n" },
  { file: `src-main/journal/${tag}.ts`, forbidden: "import { app } from 'electron';\nexport const x = app;\n", allowed: "import Database from 'better-sqlite3';\nexport const x = Database;\n" },
  // The journal and the commands know nothing of printers or the contract router above them.
  { file: `src-main/commands/${tag}.ts`, forbidden: "import { asBase64 } from '../reports/print';\nexport const x = asBase64;\n", allowed: "import { execute } from './execute';\nexport const x = execute;\n" },
  { file: `src-main/journal/${tag}-contract.ts`, forbidden: "export const x = () => import('../contract/dispatch');\n", allowed: "export const x = () => import('./open');\n" },
  { file: `src-server/${tag}.ts`, forbidden: "import { app } from 'electron';\nexport const x = app;\n", allowed: "import { openJournal } from '../src-main/journal/open';\nexport const x = openJournal;\n" },
  { file: `src-server/${tag}-ui.ts`, forbidden: "export { x } from '../src-renderer/transport/types';\n", allowed: "export { methods as x } from '../src-shared/contract/methods';\n" },
  // The server never imports the command line.
  { file: `src-server/${tag}-cli.ts`, forbidden: "import { main } from '../src-main/cli/main';\nexport const x = main;\n", allowed: "import { dispatch } from '../src-main/contract/dispatch';\nexport const x = dispatch;\n" },
];

function plant(which: 'forbidden' | 'allowed'): void {
  for (const p of plants) writeFileSync(join(root, p.file), p[which]);
}
function unplant(): void {
  for (const p of plants) rmSync(join(root, p.file), { force: true });
}

/** ESLint's layer messages per planted file. */
async function eslintSays(): Promise<Map<string, string[]>> {
  const results = await eslint.lintFiles(plants.map((p) => p.file));
  return new Map(results.map((r) => [r.filePath.slice(root.length), r.messages.filter((m) => m.ruleId === 'layers/allowed-imports').map((m) => m.message)]));
}

/** dependency-cruiser on the planted files (and what they import): its exit code and report. */
function cruise(files: string[]): { status: number | null; out: string } {
  const bin = join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
  const r = spawnSync(process.execPath, [bin, '--config', '.dependency-cruiser.cjs', '--output-type', 'err', ...files], { cwd: root, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('layers: a forbidden import planted in each wing', () => {
  it('is refused by ESLint and by dependency-cruiser, and the same files with allowed imports pass both', async () => {
    try {
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
    } finally {
      unplant();
    }
  });

  it('dependency-cruiser refuses a cycle, a cycle of types too', () => {
    const a = `src-shared/rules/${tag}-a.ts`;
    const b = `src-shared/rules/${tag}-b.ts`;
    try {
      writeFileSync(join(root, a), "import type { B } from './" + `${tag}-b` + "';\nexport type A = { b?: B };\n");
      writeFileSync(join(root, b), "import type { A } from './" + `${tag}-a` + "';\nexport type B = { a?: A };\n");
      const r = cruise([a, b]);
      expect(r.out).toMatch(/no-circular/);
      expect(r.status).not.toBe(0);
    } finally {
      rmSync(join(root, a), { force: true });
      rmSync(join(root, b), { force: true });
    }
  });
});

/** Compiles `code` as a file of src-shared, with src-shared's tsconfig; the diagnostics' texts. */
function compileInShared(code: string): string[] {
  const dir = mkdtempSync(join(root, 'src-shared', `${tag}-`));
  try {
    const file = join(dir, 'planted.ts');
    writeFileSync(file, code);
    // A temporary tsconfig extending src-shared's, with only the planted file (and zod) in it.
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: '../tsconfig.json', include: ['./planted.ts', '../../node_modules/zod/**/*.d.cts'], exclude: [] }));
    const cfg = ts.getParsedCommandLineOfConfigFile(join(dir, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } });
    if (!cfg) throw new Error('no tsconfig');
    const program = ts.createProgram({ rootNames: cfg.fileNames, options: cfg.options });
    return ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName === file).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
