import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  chooseServers,
  machineSurroundings,
  missingServersReport,
  type ServerSource,
} from './server-selection.js';
import { startS3Server } from './s3-server.js';
import { throwawayPostgres, throwawayRedis, type Throwaway } from './throwaway.js';

/**
 * Finds the servers the integration tests use (test/support/server-selection.ts: a `TEST_*` URL, the
 * server on the standard port, a throwaway from the installed binaries, or a container when a
 * Docker-compatible engine answers) and gives this run its own database, key prefix and vhost so runs
 * never collide. With a server missing it stops before any test runs, saying how to install it.
 * Starts the S3-compatible server (s3rver, in a child process: s3-server.ts) for the run.
 */
export interface TestInfra {
  throwaways: Throwaway[];
  /** Containers started for this run (Testcontainers), removed by the teardown. */
  containers: { stop(): Promise<unknown> }[];
  s3Close?: () => Promise<void>;
  adminDatabaseUrl: string;
  database: string;
  vhostPrefix?: string;
}

/** Images of the servers .ci/run installs from Debian (PostgreSQL 15, Redis 7, RabbitMQ 3). */
const IMAGES = { postgres: 'postgres:15-alpine', redis: 'redis:7-alpine', rabbitmq: 'rabbitmq:3.13-alpine' };

async function postgres(infra: TestInfra, runId: string, source: ServerSource): Promise<void> {
  let admin: string;
  if (source.via === 'url') admin = source.url;
  else if (source.via === 'port') admin = `postgres://postgres@127.0.0.1:${source.port}/test`;
  else if (source.via === 'container') {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer(IMAGES.postgres).start();
    infra.containers.push(container);
    admin = container.getConnectionUri();
  } else {
    const server = await throwawayPostgres();
    infra.throwaways.push(server);
    admin = server.url;
  }
  const database = `eco2_test_${runId}`;
  const { default: pg } = await import('pg');
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

async function redis(infra: TestInfra, runId: string, source: ServerSource): Promise<void> {
  if (source.via === 'url') process.env.TEST_REDIS_URL = source.url;
  else if (source.via === 'port') process.env.TEST_REDIS_URL = `redis://127.0.0.1:${source.port}`;
  else if (source.via === 'container') {
    const { RedisContainer } = await import('@testcontainers/redis');
    const container = await new RedisContainer(IMAGES.redis).start();
    infra.containers.push(container);
    process.env.TEST_REDIS_URL = container.getConnectionUrl();
  } else {
    const server = await throwawayRedis();
    infra.throwaways.push(server);
    process.env.TEST_REDIS_URL = server.url;
  }
  process.env.TEST_REDIS_PREFIX = `eco2test:${runId}:`;
}

async function rabbitmq(infra: TestInfra, runId: string, source: ServerSource): Promise<void> {
  if (source.via === 'url') return;
  if (source.via === 'container') {
    const { RabbitMQContainer } = await import('@testcontainers/rabbitmq');
    const container = await new RabbitMQContainer(IMAGES.rabbitmq).start();
    infra.containers.push(container);
    process.env.TEST_AMQP_URL = container.getAmqpUrl();
  } else if (source.via === 'throwaway') {
    const { throwawayRabbitMq } = await import('./throwaway-rabbitmq.js');
    const server = await throwawayRabbitMq();
    infra.throwaways.push(server);
    process.env.TEST_AMQP_URL = server.url;
  } else if (source.via === 'port') {
    // Each test app gets its own vhost under this prefix (see test-app.ts); teardown removes them all.
    infra.vhostPrefix = `eco2_test_${runId}`;
    process.env.TEST_AMQP_URL = `amqp://guest:guest@127.0.0.1:${source.port}/`;
    process.env.TEST_AMQP_VHOST_PREFIX = infra.vhostPrefix;
  }
}

async function s3(infra: TestInfra): Promise<void> {
  const server = await startS3Server(mkdtempSync(join(tmpdir(), 'eco2-s3-')), 'eco2-test');
  infra.s3Close = () => server.close();
  process.env.TEST_S3_ENDPOINT = server.endpoint;
  process.env.TEST_S3_BUCKET = 'eco2-test';
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const choices = await chooseServers(machineSurroundings());
  const report = missingServersReport(choices);
  if (report) {
    // Before any test file loads: nothing else would pass, and a stack of failures says less.
    process.stderr.write(report);
    process.exit(1);
  }
  const [postgresSource, redisSource, rabbitmqSource] = choices.map((choice) => choice.source) as [
    ServerSource,
    ServerSource,
    ServerSource,
  ];
  const infra: TestInfra = { throwaways: [], containers: [], adminDatabaseUrl: '', database: '' };
  process.env.TEST_RUN_ID = runId;
  await Promise.all([
    postgres(infra, runId, postgresSource),
    redis(infra, runId, redisSource),
    rabbitmq(infra, runId, rabbitmqSource),
    s3(infra),
  ]);
  return async () => {
    const { teardown } = await import('./infra-teardown.js');
    await teardown(infra);
  };
}
