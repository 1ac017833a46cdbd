import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './servers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/*
 * `npm test` (`vitest run`) on a machine with none of the servers: no TEST_* URL, nothing on the
 * ports a server is looked for on, no server binary on PATH (only node), no container engine (an empty
 * home and runtime folder, no DOCKER_HOST). The infra setup must stop it before any test runs.
 */
describe('npm test on a machine without the servers', () => {
  const home = mkdtempSync(join(tmpdir(), 'eco2-fresh-'));
  const bin = join(home, 'bin');
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('exits non-zero within 10 s, one line per missing server with its install commands, no test run', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
    const [postgres, redis, rabbitmq] = await Promise.all([freePort(), freePort(), freePort()]);
    const env: NodeJS.ProcessEnv = {
      PATH: bin,
      HOME: home,
      XDG_RUNTIME_DIR: home,
      TMPDIR: tmpdir(),
      NODE_ENV: 'test',
      TEST_POSTGRES_PORT: String(postgres),
      TEST_REDIS_PORT: String(redis),
      TEST_RABBITMQ_PORT: String(rabbitmq),
    };
    const started = Date.now();
    const child = spawn(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run'], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    clearTimeout(killer);
    const elapsedMs = Date.now() - started;

    expect(code, output).not.toBe(0);
    expect(code, output).not.toBeNull();
    expect(elapsedMs, output).toBeLessThan(10_000);
    const lines = output.split('\n');
    expect(lines).toContain(
      `- PostgreSQL: no TEST_DATABASE_URL, nothing on port ${postgres}, no initdb/pg_ctl on PATH. ` +
        'Debian/Ubuntu: sudo apt-get install -y postgresql; ' +
        'macOS: brew install postgresql@15 && brew services start postgresql@15',
    );
    expect(lines.filter((l) => l.startsWith('- Redis: '))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('- RabbitMQ: '))).toHaveLength(1);
    // No test file ran: vitest reports none, and a unit file (run first, were the setup lazy) printed nothing.
    expect(output).not.toMatch(/Test Files|Tests\s+\d|✓|×/);
  }, 40_000);
});
