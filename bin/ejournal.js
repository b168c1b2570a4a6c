#!/usr/bin/env node
// The `ejournal` command: runs the CLI that esbuild built into dist/cli/ (bin/build-cli.js; npm's
// `prepare` makes it on `npm ci` and `npm pack`), no TypeScript loader at run time. `serve` and
// `school` belong to the central server (src-server depends on src-main, never the other way round),
// so they have their own entry (src-server/cli.ts: `main` is serve, `school` the school command). In a checkout — the sources are here — a missing or stale build is rebuilt first; an
// installed package carries its build and no sources.
import { existsSync } from 'node:fs';

const argv = process.argv.slice(2);
const server = argv[0] === 'serve' || argv[0] === 'school';
const entry = new URL(`../dist/cli/${server ? 'serve' : 'ejournal'}.mjs`, import.meta.url);

if (existsSync(new URL('../src-main/cli/main.ts', import.meta.url))) {
  const { buildCli, staleReason } = await import('./build-cli.js');
  const why = staleReason();
  if (why) {
    try {
      await buildCli({ clean: false });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (!existsSync(entry)) {
        console.error(`Команда ejournal не собрана (${why}), и собрать её не удалось: ${message}`);
        console.error('Выполните npm ci (esbuild — из devDependencies), затем npm run build:cli');
        process.exit(2);
      }
      console.error(`Предупреждение: ${why}, пересобрать не удалось (${message}); запускаю прежнюю сборку`);
    }
  }
} else if (!existsSync(entry)) {
  console.error('В установленном пакете ejournal нет собранной команды (dist/cli): пакет собран неправильно');
  process.exit(2);
}

const cli = await import(entry.href);
process.exitCode = await (argv[0] === 'school' ? cli.school(argv.slice(1)) : cli.main(server ? argv.slice(1) : argv));
