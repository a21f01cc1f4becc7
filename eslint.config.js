import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import svelte from 'eslint-plugin-svelte';
import svelteConfig from './svelte.config.js';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'dist-renderer/',
      'release/',
      'node_modules/',
      'test-results/',
      'bench/results/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The engine runs in a plain Node process (headless, web mode): it must never pull in Electron.
    files: ['src-main/engine/**', 'src-main/simulator/**', 'src-main/cli/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['electron'], patterns: ['electron/*'] }],
    },
  },
  // The status window (Svelte 5): browser globals, TypeScript inside .svelte, and no way to pull
  // Node, Electron or the provider adapters (ws, socket.io, zod) into the renderer bundle.
  ...svelte.configs.recommended,
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'], svelteConfig },
    },
  },
  {
    files: ['src-renderer/**', 'test/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  // One door: the window imports from src-main/ only the vocabulary files directly in
  // src-main/shared/ (bridge contract, providers, statuses, lines, orders, limits, …), never the
  // engine, the shell, the CLI or the simulators, and not the main-side parts of shared/ (the host,
  // the settings port). Patterns are gitignore-style: a file under an excluded folder cannot be
  // re-included, hence `src-main/*` minus `shared`, then the sub-folders and main-side files of
  // shared/ excluded again. test/unit/window-door.test.ts holds this rule to its promise.
  {
    files: ['src-renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'ws', 'zod', 'pino', 'socket.io-client'],
          patterns: [
            { group: ['node:*'], message: 'The window never touches Node.' },
            {
              group: ['**/src-main/*', '!**/src-main/shared'],
              message:
                'The window imports only from src-main/shared/: move the vocabulary there, or ask the bridge.',
            },
            {
              group: [
                '**/src-main/shared/*/**',
                '**/src-main/shared/bridge-host*',
                '**/src-main/shared/settings-port*',
              ],
              message:
                'Main-side part of shared/ (host, settings port): the window uses the bridge contract instead.',
            },
          ],
        },
      ],
    },
  },
);
