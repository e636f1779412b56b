// Lint runs on TypeScript 5's parser and type checker (the `typescript` package, through
// typescript-eslint's project service); type-checking the build runs on TypeScript 7
// (`typescript-7`), which has no JS compiler API for typescript-eslint to use. See
// docs/development.md, "Toolchain".
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', 'cdk.out.lint/', 'coverage/', 'out/', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  // Type-aware: a promise nobody awaits (no-floating-promises) or one passed where a plain callback
  // is expected (no-misused-promises) loses its error; in a handler, the invocation ends first.
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      eqeqeq: 'error',
      // The fakes and handlers implement async interfaces (an SDK client's send, a task handler)
      // without always awaiting; a missing await that matters is no-floating-promises' to catch.
      '@typescript-eslint/require-await': 'off',
      // Values decoded from AWS JSON are typed unknown; String() of one is the intended fallback
      // for a field AWS documents as a string, not an object printed by mistake.
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
  {
    // CDK constructs are instantiated for their side effects on the construct tree.
    files: ['lib/**/*.ts', 'bin/**/*.ts', 'test/**/*.ts'],
    rules: { 'no-new': 'off' },
  },
  {
    // Tests compare against jest's asymmetric matchers (expect.any, objectContaining), typed any,
    // read JSON they parse, and pass mocked methods to expect(): the unsafe-any family would flag
    // each. The promise rules above stay on: an unawaited expectation passes whatever happens.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
