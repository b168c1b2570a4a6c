/**
 * The built `ejournal` command (bin/build-cli.js → dist/cli/): what `ejournal help` loads is the
 * router's static import graph, and it must hold nothing but Node's built-ins — no SQLite, PDF,
 * drizzle or zod; every subcommand comes in by its own `import()`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/ejournal.js', import.meta.url));
const OUT = fileURLToPath(new URL('../dist/cli/', import.meta.url));

/** Static imports (`import … from "x"`, `import "x"`) of a built module; `import("x")` is not one. */
function staticImports(file: string): string[] {
  const code = readFileSync(join(OUT, file), 'utf8');
  return [...code.matchAll(/^\s*(?:import|export)\s*(?:[^'"();]*?\sfrom\s*)?["']([^"']+)["'];?\s*$/gm)].map((m) => m[1]!);
}

/** Every module `entry` loads before its first line runs: the closure of static imports. */
function loadedBy(entry: string): { chunks: string[]; external: string[] } {
  const seen = new Set<string>();
  const external = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of staticImports(file)) {
      if (spec.startsWith('./')) visit(spec.slice(2));
      else external.add(spec);
    }
  };
  visit(entry);
  return { chunks: [...seen], external: [...external].sort() };
}

beforeAll(() => {
  // The command builds itself when the build is missing or older than a source.
  const r = spawnSync(process.execPath, [BIN, 'help'], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
});

describe('the built ejournal command', () => {
  it('help loads only Node built-ins: no better-sqlite3, drizzle, pdfkit or zod', () => {
    const { chunks, external } = loadedBy('ejournal.mjs');
    expect(external).toContain('node:fs'); // secrets.ts: the graph was read, not missed
    expect(external.every((s) => s.startsWith('node:'))).toBe(true);
    const code = chunks.map((c) => readFileSync(join(OUT, c), 'utf8')).join('\n');
    expect(code).not.toMatch(/better-sqlite3|drizzle-orm|pdfkit|from "zod"/);
  });

  it('loads each subcommand by import() when it runs', () => {
    const router = readFileSync(join(OUT, 'ejournal.mjs'), 'utf8');
    for (const sub of ['init', 'import', 'export', 'demo', 'stats', 'check', 'history', 'call', 'print', 'sync', 'keys', 'backup', 'restore', 'api-doc']) {
      expect(router).toMatch(new RegExp(`import\\("\\./${sub}-[A-Z0-9]+\\.mjs"\\)`));
    }
  });

  it('serve is its own entry, the central server', () => {
    expect(loadedBy('serve.mjs').external).toEqual(expect.arrayContaining(['fastify']));
  });
});
