// ESLint flat config for the whole repository. The root eslint.config.mjs re-exports it: it lives here,
// beside tools/lint/package.json, so that `typescript-eslint` resolves from tools/lint/node_modules, where
// npm places it together with the TypeScript 6 it needs (the root keeps TypeScript 7 for builds; see README.md).
//
// The file is deliberately not named eslint.config.mjs: ESLint 10 looks a config up from each linted file's
// folder, and a second eslint.config.* here would become the config of tools/lint/ with tools/lint/ as its base.
//
// Import boundaries and import cycles are not checked here but by dependency-cruiser (.dependency-cruiser.cjs),
// because eslint-plugin-import(-x)'s no-cycle skips type-only imports and this project counts them.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // Build output, tool output, and the lint fixtures: the fixtures break the rules on purpose and are
    // linted only by test/lint/boundaries.test.ts (with --no-ignore).
    ignores: ['**/node_modules/**', 'dist/**', 'cdk.out/**', 'cdk.out.*/**', 'coverage/**', '.bench/**', '.readme-check/**', 'test/lint/fixtures/**'],
  },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: {
      // Syntax only: no type information. The type-aware presets need a TypeScript program of the whole
      // repository, which costs more than the rest of the lint on these 2-core machines (measured in README.md).
      parser: tseslint.parser,
      ecmaVersion: 2022,
      sourceType: 'module',
    },
    linterOptions: {
      reportUnusedDisableDirectives: 'error',
    },
    rules: {
      // TypeScript reports these itself (noUnusedLocals, noUnusedParameters; undefined names are compile
      // errors), so ESLint repeating them only doubles the noise.
      '@typescript-eslint/no-unused-vars': 'off',
      'no-undef': 'off',
    },
  },
);
