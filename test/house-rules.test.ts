/**
 * Rules of the house that a reader of the tree can check (docs/architecture.md, conventions):
 * plan numbers are not names, and the repository stands on its own — nothing sends a reader to a
 * folder outside it (the regulation, the requirements and the architecture live in docs/).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const tracked = execFileSync('git', ['ls-files'], { cwd: ROOT }).toString().split('\n')
  .filter((f) => /\.(ts|tsx|js|mjs|cjs|md|json|yml|css|html)$/.test(f) && f !== 'package-lock.json' && f !== 'test/house-rules.test.ts');

function offending(pattern: RegExp): string[] {
  const out: string[] = [];
  for (const f of tracked) {
    const lines = readFileSync(`${ROOT}${f}`, 'utf8').split('\n');
    lines.forEach((l, i) => { if (pattern.test(l)) out.push(`${f}:${i + 1}: ${l.trim().slice(0, 100)}`); });
  }
  return out;
}

describe('house rules', () => {
  it('has no issue-order markers (an issue\'s place in a plan, in square brackets) in code or docs: a section is named for what it is', () => {
    expect(offending(/\[\d+\/\d+\]/)).toEqual([]);
  });

  it('sends no reader outside the repository (../shared and the like): the sources live in docs/', () => {
    expect(offending(/\.\.\/shared\/|shared\/spec\/|shared\/design\//)).toEqual([]);
    const all = execFileSync('git', ['ls-files', 'docs'], { cwd: ROOT }).toString().split('\n');
    for (const doc of ['docs/regulation.ru.txt', 'docs/requirements.md', 'docs/architecture.md', 'docs/security.md']) expect(all).toContain(doc);
  });
});
