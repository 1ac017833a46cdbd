import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import boundaries from './eslint-rules/lib-boundaries.js';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'var/', 'coverage/', 'k8s/', 'terraform/', 'ansible/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        Buffer: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        URL: 'readonly',
        URLSearchParams: 'readonly',
        AbortController: 'readonly',
        fetch: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-console': 'error',
    },
  },
  {
    files: ['test/**', 'bench/**', 'scripts/**', '**/*.spec.ts', '**/*.e2e-spec.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['libs/**/*.ts'],
    plugins: { boundaries },
    rules: { 'boundaries/lib-boundaries': 'error' },
  },
);
