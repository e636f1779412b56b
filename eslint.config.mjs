// Lint runs on TypeScript 5's parser (the `typescript` package); type-checking runs on TypeScript 7
// (`typescript-7`), which has no JS compiler API for typescript-eslint to use. See README "Toolchain".
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', 'coverage/', 'out/', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: 'error',
    },
  },
  {
    // CDK constructs are instantiated for their side effects on the construct tree.
    files: ['lib/**/*.ts', 'bin/**/*.ts', 'test/**/*.ts'],
    rules: { 'no-new': 'off' },
  },
);
