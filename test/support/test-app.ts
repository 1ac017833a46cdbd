import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { freePort, run } from './servers.js';
import type TestAgent from 'supertest/lib/agent.js';
import { createApp, type BootedApp } from '../../libs/platform/src/index.js';
import { APP_CATALOG } from '../../apps/catalog.js';

export type Stack = 'embedded' | 'production';

/** Env of a fresh, isolated embedded-default process: its own state folder, nothing external. */
export function embeddedEnv(overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    COOKIE_SECURE: 'false',
    STATE_DIR: mkdtempSync(join(tmpdir(), 'eco2-state-')),
    QUEUE_RETRY_BASE_MS: '50',
    // Set and empty: the public default news feeds stay off; news tests name their local feeds.
    NEWS_FEED_URLS: '',
    ...overrides,
  };
}

/** A new PostgreSQL schema in this run's database; the URL plus DATABASE_SCHEMA point at it. */
export async function freshPostgresSchema(): Promise<{ DATABASE_URL: string; DATABASE_SCHEMA: string }> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the tests through vitest (global setup)');
  const schema = `s_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.end();
  return { DATABASE_URL: url, DATABASE_SCHEMA: schema };
}

/** A database the code under test runs on, as env for `dataSourceOptions`, and what removes it afterwards. */
export type TestDatabase = () => Promise<{ env: NodeJS.ProcessEnv; cleanup(): void }>;

/** Both databases the app supports, for `describe.each`: a fresh SQLite file, a fresh PostgreSQL schema. */
export const BOTH_DATABASES: [string, TestDatabase][] = [
  [
    'SQLite',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'eco2-db-'));
      return { env: { STATE_DIR: dir }, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
    },
  ],
  ['PostgreSQL', async () => ({ env: await freshPostgresSchema(), cleanup: () => undefined })],
];

/** A new RabbitMQ vhost for this run (or the configured broker URL when the run has no vhost prefix). */
export async function freshAmqpUrl(): Promise<string> {
  const base = process.env.TEST_AMQP_URL;
  if (!base) throw new Error('TEST_AMQP_URL is not set: run the tests through vitest (global setup)');
  const prefix = process.env.TEST_AMQP_VHOST_PREFIX;
  if (!prefix) return base;
  const vhost = `${prefix}_${randomBytes(4).toString('hex')}`;
  await run('rabbitmqctl', ['add_vhost', vhost], { timeout: 60_000 });
  await run('rabbitmqctl', ['set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*'], { timeout: 60_000 });
  return `${base.replace(/\/$/, '')}/${vhost}`;
}

/** Env of an isolated production-adapter process: PostgreSQL schema, Redis prefix, RabbitMQ vhost, S3. */
export async function productionEnv(overrides: NodeJS.ProcessEnv = {}): Promise<NodeJS.ProcessEnv> {
  const unique = randomBytes(4).toString('hex');
  return embeddedEnv({
    ...(await freshPostgresSchema()),
    REDIS_URL: process.env.TEST_REDIS_URL,
    REDIS_KEY_PREFIX: `${process.env.TEST_REDIS_PREFIX ?? 'eco2test:'}${unique}:`,
    AMQP_URL: await freshAmqpUrl(),
    S3_BUCKET: process.env.TEST_S3_BUCKET,
    S3_ENDPOINT: process.env.TEST_S3_ENDPOINT,
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
    ...overrides,
  });
}

export function envFor(stack: Stack, overrides: NodeJS.ProcessEnv = {}): Promise<NodeJS.ProcessEnv> {
  return stack === 'embedded' ? Promise.resolve(embeddedEnv(overrides)) : productionEnv(overrides);
}

export interface TestApp extends BootedApp {
  http: TestAgent;
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

/** Boots the app in-process exactly as `npm start` would, with the given env, ready for supertest. */
export async function bootTestApp(env: NodeJS.ProcessEnv): Promise<TestApp> {
  // A port of its own, so the default public origin (http://localhost:<PORT>) is where it listens.
  env = { PORT: String(await freePort()), ...env };
  const booted = await createApp(APP_CATALOG, env);
  return { ...booted, env, http: request(booted.app.getHttpServer()), close: () => booted.app.close() };
}
