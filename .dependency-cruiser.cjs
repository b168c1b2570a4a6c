// @ts-check
/**
 * The layers as allow-lists (`npm run layers`, part of `npm test`): for each layer, what its files
 * MAY import; anything else is an error. VS Code's `code-import-patterns` is the model. ESLint
 * (eslint.config.js) reads the same table, so the editor and `npm run lint` say the same thing.
 *
 * A file belongs to the longest layer that contains it (src-main/journal before src-main).
 * An entry of `may` is
 *   - a folder of this repository (`src-shared`): everything under it; `!folder` takes a folder
 *     out again (`src-main`, `!src-main/cli`: the Node core, not the command line);
 *   - `node:*`: Node's built-in modules;
 *   - a package (`zod`, `drizzle-orm`: also its subpaths) or a scope (`@tanstack/*`).
 * Adding a package to a layer is a line here, on purpose: it is a decision about the architecture.
 *
 * Test support is exempt: `*.test.ts(x)` files anywhere and the folders test/, e2e/ and bench/ may
 * import across the wings (a test drives the server with the main process' client, a bench builds
 * a journal with the commands). They are still checked for cycles.
 */

/** The journal's storage: SQLite and the drizzle schema over it. */
const SQLITE = ['better-sqlite3', 'drizzle-orm'];
/** The tops of src-main, which nothing else imports: the `ejournal` command and the Electron shell. */
const NOT_THE_TOPS = ['!src-main/cli', '!src-main/electron'];

/** @type {{ layer: string, what: string, may: string[] }[]} */
const layers = [
  // ── the four wings ──
  { layer: 'src-shared', what: 'pure TypeScript: runs everywhere', may: ['src-shared', 'zod'] },
  { layer: 'src-renderer', what: 'the React UI: talks to src-main only through the contract', may: ['src-renderer', 'src-shared', 'react', 'react-dom', '@tanstack/*', 'zod'] },
  { layer: 'src-main', what: 'Node: the desktop main process and the core the server reuses', may: ['src-main', ...NOT_THE_TOPS, 'src-shared', 'node:*', ...SQLITE, 'pdfkit', 'zod'] },
  { layer: 'src-server', what: 'the central server: never the CLI, the shell or the UI', may: ['src-server', 'src-main', ...NOT_THE_TOPS, 'src-shared', 'node:*', ...SQLITE, 'pg', 'fastify', '@fastify/*', 'pino', 'zod'] },
  // ── rooms of src-main, bottom up ──
  { layer: 'src-main/journal', what: 'the replica: the fold, queries, views', may: ['src-main/journal', 'src-shared', 'node:*', ...SQLITE, 'zod'] },
  { layer: 'src-main/commands', what: 'changes: guard, execute (no transports, no printers)', may: ['src-main/commands', 'src-main/journal', 'src-shared', 'node:*', 'zod'] },
  { layer: 'src-main/reports', what: 'printed documents', may: ['src-main/reports', 'src-main/journal', 'src-shared', 'node:*', 'pdfkit', 'zod'] },
  { layer: 'src-main/sync', what: "the client's side of sync", may: ['src-main/sync', 'src-main/commands', 'src-main/journal', 'src-shared', 'node:*', 'zod'] },
  { layer: 'src-main/admin', what: 'setting a school up: first run, accounts, the register, import and export', may: ['src-main/admin', 'src-main/commands', 'src-main/journal', 'src-main/reports', 'src-main/auth', 'src-main/errors', 'src-shared', 'node:*', ...SQLITE, 'exceljs', 'zod'] },
  { layer: 'src-main/timetable', what: 'the timetable: the lessons it gives, its week, the substitute\'s lessons', may: ['src-main/timetable', 'src-main/commands', 'src-main/journal', 'src-shared', 'node:*', 'zod'] },
  { layer: 'src-main/backup', what: 'backups of a journal and restoring one (п. 7.8)', may: ['src-main/backup', 'src-main/journal', 'src-main/errors', 'src-shared', 'node:*', ...SQLITE, 'zod'] },
  { layer: 'src-main/contract', what: 'the contract router: dispatch and its handler tables', may: ['src-main/contract', 'src-main/admin', 'src-main/timetable', 'src-main/auth', 'src-main/commands', 'src-main/journal', 'src-main/reports', 'src-main/sync', 'src-shared', 'node:*', 'zod'] },
  // ── the tops ──
  { layer: 'src-main/cli', what: 'the ejournal command', may: ['src-main', '!src-main/electron', 'src-shared', 'node:*', ...SQLITE, 'pdfkit', 'exceljs', 'zod'] },
  { layer: 'src-main/electron', what: 'the Electron shell: the only importer of electron', may: ['src-main', '!src-main/cli', 'src-shared', 'node:*', ...SQLITE, 'pdfkit', 'zod', 'electron', 'electron-updater'] },
];

/** Test support: may import across the wings (see above); as paths here, as globs for ESLint. */
const TEST_SUPPORT = ['\\.test\\.tsx?$', '^(test|e2e|bench)/'];
const TEST_SUPPORT_GLOBS = ['**/*.test.ts', '**/*.test.tsx', 'test/**', 'e2e/**', 'bench/**'];

const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const isFolder = (entry) => entry.startsWith('src-');
/** A regular expression for the resolved paths an entry of `may` allows (packages also by their types). */
function target(entry) {
  if (isFolder(entry)) return `^${escapeRegExp(entry)}/`;
  const pkg = entry.endsWith('/*') ? `${escapeRegExp(entry.slice(0, -1))}[^/]+` : escapeRegExp(entry);
  const typesName = entry.startsWith('@') ? `@types/${escapeRegExp(entry.slice(1).replace('/', '__'))}` : `@types/${escapeRegExp(entry)}`;
  return `^(node_modules/)?(${pkg}|${entry.endsWith('/*') ? pkg : typesName})(/|$)`;
}
/** The layers nested in `layer` (their files follow their own list). */
const inner = (layer) => layers.filter((l) => l.layer.startsWith(`${layer}/`)).map((l) => `^${escapeRegExp(l.layer)}/`);

/** @type {import('dependency-cruiser').IConfiguration['allowed']} */
const allowed = [
  { comment: 'Test support may import across the wings.', from: { path: TEST_SUPPORT }, to: {} },
];
for (const l of layers) {
  const from = { path: `^${escapeRegExp(l.layer)}/`, pathNot: [...TEST_SUPPORT, ...inner(l.layer)] };
  const paths = l.may.filter((m) => m !== 'node:*' && !m.startsWith('!')).map(target);
  const outOfIt = l.may.filter((m) => m.startsWith('!')).map((m) => target(m.slice(1)));
  allowed.push({ comment: `${l.layer}: ${l.what}`, from, to: { path: paths, ...(outOfIt.length ? { pathNot: outOfIt } : {}), dependencyTypesNot: ['core'] } });
  if (l.may.includes('node:*')) allowed.push({ comment: `${l.layer}: Node's built-in modules`, from, to: { dependencyTypes: ['core'] } });
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  allowed,
  allowedSeverity: 'error',
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No cycles, type-only imports included (a cycle of types is still two modules that cannot be understood apart).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // A package is named by where it is linked (test/layers.test.ts cruises a copy of the wings
    // with node_modules linked in), not by where the link points.
    preserveSymlinks: true,
    // Type-only imports count: a layer may not even name the types of what it may not import.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.tools.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['node', 'import', 'require', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
    exclude: { path: '^dist/' },
  },
};
// Not a dependency-cruiser option (hence not enumerable): the table itself, for eslint.config.js.
Object.defineProperty(module.exports, 'layers', { value: layers });
Object.defineProperty(module.exports, 'testSupportGlobs', { value: TEST_SUPPORT_GLOBS });
