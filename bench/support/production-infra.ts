import globalSetup from '../../test/support/infra-setup.js';
import { productionEnv } from '../../test/support/test-app.js';

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
