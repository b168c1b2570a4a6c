// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net', 'url', 'worker_threads', 'zlib', 'stream'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'data/**', 'tmp/**', 'migrations/**', 'e2e/screenshots/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // Only the Electron shell may import electron (architecture.md: "Only src-main/electron/ imports electron").
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Только src-main/electron/** импортирует electron.' }] }],
    },
  },
  {
    files: ['src-main/electron/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // src-shared and src-renderer run in a browser too: no Node, no SQLite, no Electron.
    files: ['src-shared/**', 'src-renderer/**'],
    ignores: ['**/*.test.ts', '**/*.test.tsx'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'electron', message: 'Только src-main/electron/** импортирует electron.' },
          { name: 'better-sqlite3', message: 'SQLite живёт в src-main/journal.' },
          ...nodeBuiltins.filter((n) => !n.includes('*')).map((name) => ({ name, message: 'Модули Node недоступны в src-shared и src-renderer.' })),
        ],
        patterns: [
          { group: ['node:*'], message: 'Модули Node недоступны в src-shared и src-renderer.' },
          { group: ['drizzle-orm/better-sqlite3*', '**/src-main/**', '**/src-server/**'], message: 'Зависимости направлены внутрь: renderer/shared → shared.' },
        ],
      }],
    },
  },
  {
    files: ['bin/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
