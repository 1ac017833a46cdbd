import pg from 'pg';
import { run } from './servers.js';

import type { TestInfra } from './infra-setup.js';

export async function teardown(infra: TestInfra): Promise<void> {
  await infra.s3Close?.().catch(() => undefined);
  if (infra.database) {
    const client = new pg.Client({ connectionString: infra.adminDatabaseUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${infra.database} WITH (FORCE)`).catch(() => undefined);
    await client.end();
  }
  if (infra.vhostPrefix) {
    const { stdout } = await run('rabbitmqctl', ['list_vhosts', '--quiet', '--no-table-headers'], {
      timeout: 60_000,
    });
    for (const vhost of stdout
      .split('\n')
      .map((v) => v.trim())
      .filter((v) => v.startsWith(infra.vhostPrefix!))) {
      await run('rabbitmqctl', ['delete_vhost', vhost], { timeout: 60_000 }).catch(() => undefined);
    }
  }
  await Promise.all(infra.throwaways.map((t) => t.destroy().catch(() => undefined)));
  await Promise.all(infra.containers.map((c) => c.stop().catch(() => undefined)));
}
