// ESLint (typescript-eslint, type-aware) for src/, test/ and bench/; Prettier owns formatting.
// The project service types each file by its nearest tsconfig.json: the browser code in src/browser/
// by src/browser/tsconfig.json (the DOM's types), everything else by the root one (Node's only).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'coverage/',
      '**/generated.ts',
      'test/generated/',
      '**/*.mjs',
      '**/*.js',
      '**/*.cjs',
      '**/*.tmp.*',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Async work must be awaited or handed on; a dropped promise hides its failure.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false, attributes: false } },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // Rows from raw SQL and JSON from the wire arrive untyped; they are narrowed where they are read
      // (type guards, typed row interfaces), so no `any` flows on into the code that uses them.
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unsafe-assignment': 'error',
      '@typescript-eslint/no-unsafe-member-access': 'error',
      '@typescript-eslint/no-unsafe-argument': 'error',
      '@typescript-eslint/no-unsafe-return': 'error',
      '@typescript-eslint/no-unsafe-call': 'error',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
      '@typescript-eslint/no-redundant-type-constituents': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/only-throw-error': 'off',
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
      // Its autofix drops casts TypeORM's generic signatures still need.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'max-lines': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  prettier,
  // After Prettier's config (which turns it off): Prettier wraps code at 120, this catches the
  // strings and comments it cannot wrap.
  { rules: { 'max-len': ['error', { code: 120, ignoreUrls: true, ignoreRegExpLiterals: true }] } },
  // Test tables and benchmark reports hold long literal strings; Prettier still wraps their code at 120.
  { files: ['test/**/*.ts', 'bench/**/*.ts'], rules: { 'max-len': 'off' } },
);
