import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

/**
 * Vitest instead of Jest: on Node 20, Jest's ESM mode cannot load CommonJS packages that require the
 * ESM-only Nest 12 (e.g. @willsoto/nestjs-prometheus), while Vitest lets Node load dependencies
 * natively. SWC compiles the sources because esbuild drops the decorator metadata Nest injection needs.
 */
export default defineConfig({
  plugins: [
    swc.vite({
      module: { type: 'es6' },
      jsc: {
        target: 'es2022',
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      },
    }),
  ],
  test: {
    include: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
    exclude: ['**/node_modules/**', 'dist/**', 'var/**'],
    globalSetup: ['test/support/infra-setup.ts'],
    pool: 'forks',
    // Two cores: integration files run one at a time, each against its own schema, key prefix and vhost.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
