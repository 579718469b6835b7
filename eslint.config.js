// ESLint flat config: typescript-eslint's recommended rules (syntax only, no type
// information: fast on two cores), over the sources, plugins, benchmarks and tests.
'use strict';
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

module.exports = tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.hbs', 'generated-plugins/*/e2e/devlake-data/**', '.ts-cache/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      // Plugin-facing generics default to `any` on purpose (SubTaskMeta<any>, ModelDef<any>): a plugin's
      // task data and row types are its own.
      '@typescript-eslint/no-explicit-any': 'off',
      // `_name` marks a parameter a signature needs but the body does not use (tsc's noUnused* agrees).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // Lazy require() is the project's way to keep start-up cheap (the CLI loads a command's modules,
      // a dialect its driver, only when used): see src/dal/dialects.ts, src/cli/main.ts.
      '@typescript-eslint/no-require-imports': 'off',
      // Control characters are matched on purpose: ANSI escapes in terminal text, NUL in Postgres text.
      'no-control-regex': 'off',
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    // The web page served by `devlake serve` runs in a browser.
    files: ['src/server/web/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: Object.fromEntries(
        ['window', 'document', 'sessionStorage', 'localStorage', 'fetch', 'Node', 'confirm', 'alert', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout',
          'AbortController', 'TextDecoderStream', 'URL', 'URLSearchParams', 'console', 'location', 'history', 'FormData', 'Event', 'CustomEvent'].map((g) => [g, 'readonly']),
      ),
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    ignores: ['src/server/web/**'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
