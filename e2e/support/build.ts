/**
 * Builds the web UI for a test run or a benchmark — into a folder of its own, served with
 * `ejournal serve --ui DIR`, so a run never empties dist/renderer under another process.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './server';

export function buildUi(outDir = mkdtempSync(join(tmpdir(), 'ejournal-ui-'))): string {
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn', '--outDir', outDir, '--emptyOutDir'], { cwd: ROOT, stdio: 'inherit' });
  return outDir;
}
