#!/usr/bin/env node
// `npm start`: the desktop app when the Electron binary is installed, otherwise the same journal
// in the browser (`npm run web`). The binary is looked up without require('electron'): that
// module tries to download a missing binary, which this machine or CI may not allow.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' }).status ?? 1;

function electronBinary() {
  const dir = join(root, 'node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const exe = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(exe) ? exe : null;
}

const exe = electronBinary();
if (!exe) {
  console.log('Программа Electron не установлена на этом компьютере: открываю журнал в браузере (npm run web).');
  process.exitCode = run(npm, ['run', 'web']);
} else {
  let code = run(npm, ['run', 'build:desktop']);
  // The demo school becomes the desktop's journal on first start (data/demo.sqlite).
  if (code === 0) code = run(process.execPath, [join(root, 'bin', 'ejournal.js'), 'start']);
  if (code === 0) code = run(exe, [join(root, 'dist', 'electron', 'main.mjs')]);
  process.exitCode = code;
}
