import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, portAnswers, run } from './servers.js';
import type { Throwaway } from './throwaway.js';

/**
 * A second RabbitMQ node with its own name, ports and Mnesia folder (toolchain.md): for fault drills
 * that stop and restart a broker. Takes a few seconds to boot.
 */
export async function throwawayRabbitMq(): Promise<Throwaway> {
  const dir = mkdtempSync(join(tmpdir(), 'eco2-rmq-'));
  const port = await freePort();
  const distPort = await freePort();
  const node = `eco2drill${randomBytes(3).toString('hex')}@localhost`;
  const env = {
    ...process.env,
    RABBITMQ_NODENAME: node,
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_SERVER_START_ARGS: '',
  };
  const start = async (): Promise<void> => {
    const child = spawn('rabbitmq-server', [], { env, stdio: 'ignore', detached: true });
    child.unref();
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      if (await portAnswers(port)) {
        const ok = await run('rabbitmq-diagnostics', ['-n', node, 'check_port_connectivity'], {
          env,
          timeout: 30_000,
        }).then(
          () => true,
          () => false,
        );
        if (ok) return;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`throwaway RabbitMQ ${node} did not start`);
  };
  const stop = async (): Promise<void> => {
    await run('rabbitmqctl', ['-n', node, 'stop'], { env, timeout: 60_000 }).catch(() => undefined);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && (await portAnswers(port))) await new Promise((r) => setTimeout(r, 200));
  };
  await start();
  return {
    url: `amqp://guest:guest@127.0.0.1:${port}`,
    port,
    start,
    stop,
    destroy: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
