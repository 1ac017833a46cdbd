#!/usr/bin/env node
// `npm run test:unit`: the unit project of vitest.config.ts, run as if no server existed. Every server
// URL (PostgreSQL, Redis, RabbitMQ, S3; app and test variables alike) points at a closed loopback port
// and PATH holds only `node`, so neither a client nor a server binary can reach anything. The unit
// project's guard (test/support/unit-isolation.ts) also fails any connection outside the test process.
//
//   npm run test:unit [-- <vitest filters and flags>]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** A loopback port nothing listens on (bound, then released). */
function closedPort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const [postgres, redis, amqp, s3] = await Promise.all([
  closedPort(),
  closedPort(),
  closedPort(),
  closedPort(),
]);
const servers = {
  DATABASE_URL: `postgres://postgres@127.0.0.1:${postgres}/test`,
  REDIS_URL: `redis://127.0.0.1:${redis}`,
  AMQP_URL: `amqp://guest:guest@127.0.0.1:${amqp}/`,
  S3_ENDPOINT: `http://127.0.0.1:${s3}`,
};
const bin = mkdtempSync(join(tmpdir(), 'eco2-unit-bin-'));
symlinkSync(process.execPath, join(bin, 'node'));

const env = { ...process.env, PATH: bin };
for (const [name, url] of Object.entries(servers)) env[name] = env[`TEST_${name}`] = url;

const vitest = join(root, 'node_modules/vitest/vitest.mjs');
const child = spawn(process.execPath, [vitest, 'run', '--project', 'unit', ...process.argv.slice(2)], {
  cwd: root,
  env,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  rmSync(bin, { recursive: true, force: true });
  process.exit(code ?? (signal ? 1 : 0));
});
