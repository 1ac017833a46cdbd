import globalSetup from '../../test/support/infra-setup.js';
import { s3ServerChildScript } from '../../test/support/s3-server.js';
import { productionEnv } from '../../test/support/test-app.js';
import type { ProcessGroup } from './proc.js';

/**
 * PostgreSQL, Redis and RabbitMQ for a benchmark, isolated the way the test suite isolates a run
 * (its own database, key prefix and vhost, removed afterwards), plus the env of one isolated stack.
 */
export async function withProductionInfra<T>(
  body: (freshStackEnv: (overrides?: NodeJS.ProcessEnv) => Promise<NodeJS.ProcessEnv>) => Promise<T>,
): Promise<T> {
  const teardown = await globalSetup();
  try {
    return await body((overrides = {}) => productionEnv(overrides));
  } finally {
    await teardown();
  }
}

/**
 * The processes of each server the stack runs on, for `cpuSnapshot`: every PostgreSQL process (the
 * postmaster, its backends and background workers), RabbitMQ's Erlang VM with its port mapper and
 * helpers, and the S3 child of this run. The servers are shared with whatever else uses them meanwhile.
 */
export const INFRA_PROCESS_GROUPS: readonly ProcessGroup[] = [
  { name: 'PostgreSQL', isRoot: (p) => p.name === 'postgres' },
  { name: 'Redis', isRoot: (p) => p.name === 'redis-server' },
  { name: 'RabbitMQ', isRoot: (p) => p.name === 'beam.smp' || p.name === 'epmd' },
  { name: 's3rver', isRoot: (p) => p.commandLine().includes(s3ServerChildScript) },
];
