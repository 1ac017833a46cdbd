import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startS3Server } from './s3-server.js';
import { portAnswers } from './servers.js';
import { throwawayPostgres, throwawayRedis, type Throwaway } from './throwaway.js';
import { teardown } from './infra-teardown.js';

/**
 * Finds the servers the integration tests use — servers named by TEST_DATABASE_URL / TEST_REDIS_URL /
 * TEST_AMQP_URL, else the machine's standard loopback ports when they answer, else throwaway instances
 * — and gives this run its own database, key prefix and vhost so runs never collide. Starts the
 * S3-compatible server (s3rver, in a child process: s3-server.ts) for the run.
 */
export interface TestInfra {
  throwaways: Throwaway[];
  s3Close?: () => Promise<void>;
  adminDatabaseUrl: string;
  database: string;
  vhostPrefix?: string;
}

async function postgres(infra: TestInfra, runId: string): Promise<void> {
  let admin = process.env.TEST_DATABASE_URL;
  if (!admin) {
    if (await portAnswers(5432)) admin = 'postgres://postgres@127.0.0.1:5432/test';
    else {
      const server = await throwawayPostgres();
      infra.throwaways.push(server);
      admin = server.url;
    }
  }
  const database = `eco2_test_${runId}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${database}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${database}`;
  infra.adminDatabaseUrl = admin;
  infra.database = database;
  process.env.TEST_DATABASE_URL = url.toString();
}

async function redis(infra: TestInfra, runId: string): Promise<void> {
  if (!process.env.TEST_REDIS_URL) {
    if (await portAnswers(6379)) process.env.TEST_REDIS_URL = 'redis://127.0.0.1:6379';
    else {
      const server = await throwawayRedis();
      infra.throwaways.push(server);
      process.env.TEST_REDIS_URL = server.url;
    }
  }
  process.env.TEST_REDIS_PREFIX = `eco2test:${runId}:`;
}

async function rabbitmq(infra: TestInfra, runId: string): Promise<void> {
  if (process.env.TEST_AMQP_URL) return;
  if (!(await portAnswers(5672))) {
    const { throwawayRabbitMq } = await import('./throwaway-rabbitmq.js');
    const server = await throwawayRabbitMq();
    infra.throwaways.push(server);
    process.env.TEST_AMQP_URL = server.url;
    return;
  }
  // Each test app gets its own vhost under this prefix (see test-app.ts); teardown removes them all.
  infra.vhostPrefix = `eco2_test_${runId}`;
  process.env.TEST_AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672/';
  process.env.TEST_AMQP_VHOST_PREFIX = infra.vhostPrefix;
}

async function s3(infra: TestInfra): Promise<void> {
  const server = await startS3Server(mkdtempSync(join(tmpdir(), 'eco2-s3-')), 'eco2-test');
  infra.s3Close = () => server.close();
  process.env.TEST_S3_ENDPOINT = server.endpoint;
  process.env.TEST_S3_BUCKET = 'eco2-test';
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const infra: TestInfra = { throwaways: [], adminDatabaseUrl: '', database: '' };
  process.env.TEST_RUN_ID = runId;
  await Promise.all([postgres(infra, runId), redis(infra, runId), rabbitmq(infra, runId), s3(infra)]);
  return () => teardown(infra);
}
