/**
 * docs/rules.md says which rule functions the journal enforces: every function its table
 * «Requirements → functions → tests» names is reached from production code — referenced in
 * src-main, src-server, src-renderer or src-shared outside the rules (tests excluded), or by a
 * rule function that is — and every function it calls out as «not enforced yet» is not. A rule
 * with tests and no production caller, listed as enforced, fails here (conventions.md).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const RULES_DIR = 'src-shared/rules/';
const PRODUCTION = ['src-main', 'src-server', 'src-renderer', 'src-shared'];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

/** Identifiers a node refers to, imports and re-exports left out. */
function references(node: ts.Node, into: Set<string>): Set<string> {
  if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return into;
  if (ts.isIdentifier(node)) into.add(node.text);
  node.forEachChild((c) => { references(c, into); });
  return into;
}

/** Top-level functions and constants of a file, each with the identifiers its body refers to. */
function declarations(file: ts.SourceFile): Map<string, { exported: boolean; refs: Set<string> }> {
  const out = new Map<string, { exported: boolean; refs: Set<string> }>();
  for (const s of file.statements) {
    const exported = ts.canHaveModifiers(s) && !!ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (ts.isFunctionDeclaration(s) && s.name) out.set(s.name.text, { exported, refs: s.body ? references(s.body, new Set()) : new Set() });
    if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) {
        if (ts.isIdentifier(d.name)) out.set(d.name.text, { exported, refs: d.initializer ? references(d.initializer, new Set()) : new Set() });
      }
    }
  }
  return out;
}

/**
 * The exported rule functions production code reaches. `sources`: path → text of every production
 * file; files under src-shared/rules/ are the rules, the rest are the callers.
 */
function reachedRules(sources: ReadonlyMap<string, string>): { exported: Set<string>; reached: Set<string> } {
  const rules = new Map<string, Map<string, { exported: boolean; refs: Set<string> }>>();
  const roots = new Set<string>();
  for (const [path, text] of sources) {
    const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false, path.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    if (path.startsWith(RULES_DIR)) rules.set(path, declarations(file));
    else references(file, roots);
  }
  const exported = new Set([...rules.values()].flatMap((d) => [...d].filter(([, v]) => v.exported).map(([k]) => k)));
  // A name in a rules file means its own top-level declaration when it has one, else an imported rule.
  const owners = (name: string, from: string | null) =>
    from !== null && rules.get(from)!.has(name) ? [from] : [...rules].filter(([, d]) => d.get(name)?.exported).map(([path]) => path);
  const seen = new Set<string>();
  const reached = new Set<string>();
  const queue: [string, string | null][] = [...roots].map((n) => [n, null]);
  while (queue.length > 0) {
    const [name, from] = queue.pop()!;
    for (const path of owners(name, from)) {
      if (seen.has(`${path}#${name}`)) continue;
      seen.add(`${path}#${name}`);
      const d = rules.get(path)!.get(name)!;
      if (d.exported) reached.add(name);
      for (const r of d.refs) queue.push([r, path]);
    }
  }
  return { exported, reached };
}

/** Backquoted names in one column of the Markdown table under a heading. */
function tableNames(doc: string, heading: string, column: number): string[] {
  const at = doc.indexOf(`\n## ${heading}\n`);
  if (at < 0) throw new Error(`docs/rules.md has no section «${heading}»`);
  const section = doc.slice(at + 1).split(/\n## /)[0]!;
  const rows = section.split('\n').filter((l) => l.startsWith('|') && !/^\|[\s|:-]+\|$/.test(l)).slice(1);
  return rows.flatMap((l) => [...(l.split('|')[column + 1] ?? '').matchAll(/`([A-Za-z_]\w*)`/g)].map((m) => m[1]!));
}

const doc = readFileSync(join(root, 'docs/rules.md'), 'utf8');
const sources = new Map(PRODUCTION.flatMap(sourceFiles).map((p) => [p, readFileSync(join(root, p), 'utf8')] as const));

describe('docs/rules.md: rules are called or called out', () => {
  const { exported, reached } = reachedRules(sources);
  const enforced = tableNames(doc, 'Requirements → functions → tests', 1);
  const notYet = tableNames(doc, 'Not enforced yet', 0);

  it('names only functions the rules export', () => {
    expect([...enforced, ...notYet].filter((n) => !exported.has(n))).toEqual([]);
    expect(enforced.length).toBeGreaterThan(50);
  });

  it('every function listed as enforced is reached from production code', () => {
    expect(enforced.filter((n) => !reached.has(n))).toEqual([]);
  });

  it('no function called out as not enforced yet is reached (the doc is updated when it is wired)', () => {
    expect(notYet.filter((n) => reached.has(n))).toEqual([]);
  });

  it('finds a rule only a test calls, and follows calls from rule to rule', () => {
    const fake = new Map([
      ['src-shared/rules/a.ts', 'export function used() { return helper(); }\nfunction helper() { return inner(); }\nexport function inner() { return 1; }\nexport function onlyTested() { return 2; }\n'],
      ['src-main/x.ts', "import { used } from '../src-shared/rules/a';\nexport const x = used();\n"],
    ]);
    const r = reachedRules(fake);
    expect([...r.reached].sort()).toEqual(['inner', 'used']);
    expect(r.exported.has('onlyTested') && !r.reached.has('onlyTested')).toBe(true);
  });
});
