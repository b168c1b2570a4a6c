// Installers for school computers (issue [7/7]). `npm run dist:desktop`; see docs/desktop.md.
// The Electron fuses live in build/fuses.json (the test reads the same file).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const fuses = JSON.parse(readFileSync(join(import.meta.dirname, 'build', 'fuses.json'), 'utf8'));

/** @type {import('electron-builder').Configuration} */
export default {
  appId: 'ru.ejournal.desktop',
  productName: 'Электронный журнал',
  executableName: 'ejournal',
  directories: { output: 'out/installers', buildResources: 'build' },
  extraMetadata: { main: 'dist/electron/main.mjs' },
  files: ['dist/electron/**', 'package.json', '!**/*.map'],
  extraResources: [
    { from: 'migrations', to: 'migrations' },
    { from: 'resources/fonts', to: 'fonts' },
    { from: 'dist/renderer', to: 'renderer' },
  ],
  asar: true,
  asarUnpack: ['node_modules/better-sqlite3/**'],
  // better-sqlite3 is rebuilt for Electron here, at packaging time only (never in postinstall).
  npmRebuild: true,
  buildDependenciesFromSource: false,
  electronFuses: fuses,
  win: { target: [{ target: 'nsis', arch: ['x64'] }] },
  nsis: { perMachine: true, oneClick: false, allowToChangeInstallationDirectory: true, createDesktopShortcut: true, shortcutName: 'Электронный журнал' },
  linux: { target: ['AppImage', 'deb'], category: 'Education', maintainer: 'ejournal', synopsis: 'Электронный журнал без интернета' },
  deb: { depends: ['libnss3', 'libgtk-3-0'] },
  // electron-updater: the generic feed of the school's central server (`GET /updates/`).
  // The address here only names the files; the app sets the real one from its enrolment.
  publish: [{ provider: 'generic', url: 'https://example.invalid/updates/' }],
};
