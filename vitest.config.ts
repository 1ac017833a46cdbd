import swc from 'unplugin-swc';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Vitest instead of Jest: on Node 20, Jest's ESM mode cannot load CommonJS packages that require the
 * ESM-only Nest 12 (e.g. @willsoto/nestjs-prometheus), while Vitest lets Node load dependencies
 * natively. SWC compiles the sources because esbuild drops the decorator metadata Nest injection needs.
 *
 * Two projects (docs/CONTRIBUTING.md, "Tests"):
 * - `unit`: `*.spec.ts`, no server and no subprocess. No infra setup; a guard fails any test that
 *   connects to a server outside its own process or starts a subprocess. `npm run test:unit`.
 * - `e2e`: `*.e2e-spec.ts`, against PostgreSQL, Redis, RabbitMQ and S3 (found or started by the infra
 *   setup) or real processes. Files run one at a time: two cores, each file with its own schema,
 *   key prefix and vhost.
 * `npm test` runs both, unit first.
 */
const compiler = swc.vite({
  module: { type: 'es6' },
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
  },
});

const exclude = ['**/node_modules/**', 'dist/**', 'var/**'];

/** `#<lib>` (package.json "imports", condition `source`): each lib's TypeScript index. */
const LIB_ALIASES = [
  { find: /^#(\w+)$/, replacement: fileURLToPath(new URL('libs/$1/src/index.ts', import.meta.url)) },
];

export default defineConfig({
  plugins: [compiler],
  test: {
    pool: 'forks',
    reporters: ['default'],
    projects: [
      {
        plugins: [compiler],
        resolve: { alias: LIB_ALIASES },
        test: {
          name: 'unit',
          include: ['**/*.spec.ts'],
          exclude,
          setupFiles: ['test/support/unit-isolation.ts'],
          pool: 'forks',
          // Files share a worker's module cache: Nest, TypeORM and the AWS SDK load once per worker
          // instead of once per file (a third of the time here). A unit file leaves no global state.
          isolate: false,
          sequence: { groupOrder: 0 },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [compiler],
        resolve: { alias: LIB_ALIASES },
        test: {
          name: 'e2e',
          include: ['**/*.e2e-spec.ts'],
          exclude,
          globalSetup: ['test/support/infra-setup.ts'],
          // After the unit group, never beside it: integration timings assume the cores are theirs.
          sequence: { groupOrder: 1 },
          pool: 'forks',
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
