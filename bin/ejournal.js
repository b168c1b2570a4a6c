#!/usr/bin/env node
// The `ejournal` command. TypeScript sources run through tsx's loader, so the CLI needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src-main/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
