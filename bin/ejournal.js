#!/usr/bin/env node
// The `ejournal` command. TypeScript sources run through tsx's loader, so the CLI needs no build step.
// `serve` belongs to the central server (src-server depends on src-main, never the other way round).
import { register } from 'tsx/esm/api';

register();
const argv = process.argv.slice(2);
const { main } = argv[0] === 'serve' ? await import('../src-server/cli.ts') : await import('../src-main/cli/main.ts');
process.exitCode = await main(argv[0] === 'serve' ? argv.slice(1) : argv);
