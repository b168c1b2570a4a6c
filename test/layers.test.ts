/**
 * The layers are enforced by tools, not memory (conventions.md): ESLint refuses forbidden imports
 * per wing, and each wing's tsconfig has no Node/DOM types where they don't belong.
 */
import { readFileSync } from 'node:fs';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });
async function lint(file: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath: file });
  return (r?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
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
