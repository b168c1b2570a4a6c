// @ts-check
import { builtinModules } from 'node:module';
import { dirname, posix, relative, sep } from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
// The layers' allow-lists: one table, read by dependency-cruiser (`npm run layers`) and by the rule below.
import dependencyCruiser from './.dependency-cruiser.cjs';

/** @type {{ layer: string, what: string, may: string[] }[]} */
const layers = dependencyCruiser.layers;
/** @type {string[]} */
const testSupport = dependencyCruiser.testSupportGlobs;

const ELECTRON_ONLY = 'Только src-main/electron/** импортирует electron.';
const builtins = new Set(builtinModules);

/** The package an import names: `zod` of `zod/mini`, `@tanstack/react-table` of `@tanstack/react-table/x`. */
function packageOf(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * What an import names, as an entry of a `may` list would: a repository path (`src-main/journal/open`)
 * for a relative import, `node:*` for Node's built-in modules, else the package.
 */
function classify(spec, file, cwd) {
  if (spec.startsWith('.')) {
    const from = relative(cwd, dirname(file)).split(sep).join('/');
    return { kind: 'path', value: posix.normalize(posix.join(from, spec)) };
  }
  if (spec.startsWith('node:') || builtins.has(packageOf(spec))) return { kind: 'node', value: 'node:*' };
  if (spec.startsWith('/')) return { kind: 'path', value: relative(cwd, spec).split(sep).join('/') };
  return { kind: 'package', value: packageOf(spec) };
}

const inFolder = (path, folder) => path === folder || path.startsWith(`${folder}/`);

function allows(may, target) {
  if (target.kind === 'path' && may.some((entry) => entry.startsWith('!') && inFolder(target.value, entry.slice(1)))) return false;
  return may.some((entry) => {
    if (target.kind === 'path') return entry.startsWith('src-') && inFolder(target.value, entry);
    if (target.kind === 'node') return entry === 'node:*';
    return entry === target.value || (entry.endsWith('/*') && target.value.startsWith(entry.slice(0, -1)));
  });
}

/**
 * `layers/allowed-imports`: every import of a file (static, dynamic, `import type`, re-exports,
 * `typeof import(…)`, `require`) must be on its layer's list (.dependency-cruiser.cjs) — an
 * allow-list, like VS Code's `code-import-patterns`.
 * @type {import('eslint').Rule.RuleModule}
 */
const allowedImports = {
  meta: {
    type: 'problem',
    docs: { description: "Each layer imports only what its allow-list names (.dependency-cruiser.cjs)." },
    schema: [{ type: 'object', properties: { layer: { type: 'string' }, may: { type: 'array', items: { type: 'string' } } }, required: ['layer', 'may'], additionalProperties: false }],
    messages: { notAllowed: '{{layer}} не импортирует «{{spec}}»: можно только {{may}} (.dependency-cruiser.cjs).{{hint}}' },
  },
  create(context) {
    const { layer, may } = /** @type {{ layer: string, may: string[] }} */ (context.options[0]);
    /** @param {any} node @param {unknown} source */
    function check(node, source) {
      if (typeof source !== 'string') return;
      if (allows(may, classify(source, context.filename, context.cwd))) return;
      const hint = packageOf(source) === 'electron' ? ` ${ELECTRON_ONLY}` : '';
      context.report({ node, messageId: 'notAllowed', data: { layer, spec: source, may: may.join(', '), hint } });
    }
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
      CallExpression: (node) => {
        const [arg] = node.arguments;
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && arg?.type === 'Literal') check(arg, arg.value);
      },
      /** @param {any} node `typeof import('x')` and `import x = require('x')` */
      TSImportType: (node) => check(node, node.argument?.literal?.value ?? node.argument?.value),
      /** @param {any} node */
      TSExternalModuleReference: (node) => check(node, node.expression?.value),
    };
  },
};

/** Deeper layers last: a file follows the most specific layer that contains it (later blocks win). */
const byDepth = [...layers].sort((a, b) => a.layer.split('/').length - b.layer.split('/').length);

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'data/**', 'tmp/**', 'migrations/**', 'e2e/screenshots/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Said, not inferred: test/layers.test.ts loads a copy of this config in the same process.
    languageOptions: { parserOptions: { tsconfigRootDir: import.meta.dirname } },
    plugins: { layers: { rules: { 'allowed-imports': allowedImports } } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // Outside the layers (tests, bench, bin, configs) too: only the Electron shell imports electron.
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: ELECTRON_ONLY }] }],
    },
  },
  {
    files: ['src-main/electron/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  // The layers as allow-lists (architecture.md "The four wings"); electron is on src-main/electron's list only.
  ...byDepth.map((l) => ({
    files: [`${l.layer}/**`],
    ignores: testSupport,
    rules: {
      'no-restricted-imports': 'off',
      'layers/allowed-imports': ['error', { layer: l.layer, may: l.may }],
    },
  })),
  {
    // Test support may import across the wings (test support: see .dependency-cruiser.cjs).
    files: testSupport,
    rules: { 'layers/allowed-imports': 'off' },
  },
  {
    files: ['.dependency-cruiser.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
  {
    files: ['bin/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
