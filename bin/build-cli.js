#!/usr/bin/env node
// Builds the `ejournal` command into dist/cli/ with esbuild: `npm run build:cli`, npm's `prepare`
// (so `npm ci` and `npm pack` make it), and bin/ejournal.js when a checkout's build is missing or
// older than its sources. Two entries — ejournal.mjs (src-main/cli/main.ts) and serve.mjs
// (src-server/cli.ts: `ejournal serve` and `ejournal school`) — and shared chunks, ESM, packages left to node_modules; each subcommand's
// `import()` becomes its own chunk, so `ejournal help` loads no SQLite, PDF or schema code.
// dist/cli/inputs.json lists the sources the build read, for the staleness check.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const OUT_DIR = join(root, 'dist', 'cli');
const INPUTS = join(OUT_DIR, 'inputs.json');
const ENTRIES = { ejournal: 'src-main/cli/main.ts', serve: 'src-server/cli.ts' };
/** Chunks an on-demand rebuild no longer needs stay this long: a process started earlier may still import them. */
const KEEP_OLD_MS = 10 * 60_000;

/** Why the build must be (re)made, or null when it is current. Cheap: one small JSON and a stat per source. */
export function staleReason() {
  let built;
  try {
    built = JSON.parse(readFileSync(INPUTS, 'utf8'));
  } catch {
    return 'dist/cli не собран';
  }
  for (const name of Object.keys(ENTRIES)) if (!existsSync(join(OUT_DIR, `${name}.mjs`))) return `нет dist/cli/${name}.mjs`;
  for (const file of built.inputs) {
    let mtime;
    try {
      mtime = statSync(join(root, file)).mtimeMs;
    } catch {
      return `нет файла ${file}`;
    }
    if (mtime > built.startedAt) return `изменён ${file}`;
  }
  return null;
}

/**
 * Builds dist/cli. Every file is written to a temporary name and renamed into place (the chunks
 * first, the entries, then inputs.json), so a process starting meanwhile, or a second build running
 * at the same time, sees either the old build or the new one.
 */
export async function buildCli({ clean = true } = {}) {
  const { build } = await import('esbuild');
  const startedAt = Date.now();
  const result = await build({
    absWorkingDir: root,
    entryPoints: ENTRIES,
    outdir: OUT_DIR,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outExtension: { '.js': '.mjs' },
    entryNames: '[name]',
    chunkNames: '[name]-[hash]',
    write: false,
    metafile: true,
    logLevel: 'warning',
    plugins: [keepFileUrls],
  });
  mkdirSync(OUT_DIR, { recursive: true });
  const written = new Set();
  const entryFiles = new Set(Object.keys(ENTRIES).map((n) => join(OUT_DIR, `${n}.mjs`)));
  const files = [...result.outputFiles].sort((a, b) => Number(entryFiles.has(a.path)) - Number(entryFiles.has(b.path)));
  for (const f of files) {
    writeAtomically(f.path, f.contents);
    written.add(f.path);
  }
  const inputs = [...Object.keys(result.metafile.inputs), relative(root, fileURLToPath(import.meta.url)).split(sep).join('/')];
  writeAtomically(INPUTS, JSON.stringify({ startedAt, inputs }));
  written.add(INPUTS);
  for (const name of readdirSync(OUT_DIR)) {
    const file = join(OUT_DIR, name);
    if (written.has(file)) continue;
    if (clean || Date.now() - statSync(file).mtimeMs > KEEP_OLD_MS) rmSync(file, { force: true });
  }
  return { files: written.size - 1, inputs: inputs.length, ms: Date.now() - startedAt };
}

function writeAtomically(file, contents) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, file);
}

/**
 * `new URL('../../migrations/journal', import.meta.url)` names a file next to the source; bundled
 * into dist/cli/ the same text would point elsewhere. The path is rewritten relative to dist/cli,
 * so migrations, fonts and package.json are found where they are in the repository and in the
 * installed package.
 */
const keepFileUrls = {
  name: 'keep-file-urls',
  setup(b) {
    b.onLoad({ filter: /[\\/]src-[a-z]+[\\/].*\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const contents = source.replace(/new URL\((['"])(\.{1,2}\/[^'"]*)\1,\s*import\.meta\.url\)/g, (_m, q, rel) => {
        let moved = relative(OUT_DIR, resolve(dirname(args.path), rel)).split(sep).join('/');
        if (!moved.startsWith('.')) moved = `./${moved}`;
        if (rel.endsWith('/') && !moved.endsWith('/')) moved += '/';
        return `new URL(${q}${moved}${q}, import.meta.url)`;
      });
      return { contents, loader: 'ts' };
    });
  },
};

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let esbuildHere = true;
  try {
    await import('esbuild');
  } catch {
    esbuildHere = false;
  }
  if (!esbuildHere) {
    // `npm ci --omit=dev` in a checkout: nothing to build with; bin/ejournal.js says what to do.
    console.warn('esbuild не установлен (devDependencies): команда ejournal не собрана — выполните npm ci');
  } else {
    const r = await buildCli();
    console.log(`dist/cli: ${r.files} файлов из ${r.inputs} исходных за ${r.ms} мс`);
  }
}
