import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort, portAnswers, run } from './servers.js';
import type { Throwaway } from './throwaway.js';

/** Debian's wrapper scripts re-run every RabbitMQ command as the `rabbitmq` user when started as root. */
async function rabbitmqOwner(): Promise<{ uid: number; gid: number } | undefined> {
  if (userInfo().uid !== 0) return undefined;
  const id = (flag: string): Promise<number> =>
    run('id', [flag, 'rabbitmq']).then(({ stdout }) => Number(stdout.trim()));
  try {
    return { uid: await id('-u'), gid: await id('-g') };
  } catch {
    return undefined;
  }
}

/**
 * A second RabbitMQ node with its own name, ports, config file and Mnesia folder: for
 * fault drills that stop and restart a broker. Boots in ~5–10 s.
 *
 * Two traps on the project's machines: the system `/etc/rabbitmq/rabbitmq.conf` pins
 * `listeners.tcp.local = 127.0.0.1:5672` (which wins over RABBITMQ_NODE_PORT, so a second node would
 * fight the standard broker for its port and die), and as root the Debian wrappers `su` to the
 * `rabbitmq` user, who must be able to write the node's folders. Hence our own config file and chown.
 */
export async function throwawayRabbitMq(): Promise<Throwaway> {
  const dir = mkdtempSync(join(tmpdir(), 'eco2-rmq-'));
  const port = await freePort();
  const distPort = await freePort();
  const node = `eco2drill${randomBytes(3).toString('hex')}@localhost`;
  const config = join(dir, 'rabbitmq.conf');
  writeFileSync(config, `listeners.tcp.local = 127.0.0.1:${port}\nloopback_users = none\n`);
  writeFileSync(join(dir, 'enabled_plugins'), '[].\n');
  const owner = await rabbitmqOwner();
  if (owner) {
    for (const path of [dir, config, join(dir, 'enabled_plugins')]) chownSync(path, owner.uid, owner.gid);
  }
  const env = {
    ...process.env,
    RABBITMQ_NODENAME: node,
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_CONFIG_FILE: config,
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_SERVER_START_ARGS: '',
  };
  const start = async (): Promise<void> => {
    const child = spawn('rabbitmq-server', [], { env, stdio: 'ignore', detached: true });
    child.unref();
    let exited = false;
    child.once('exit', () => (exited = true));
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      if (await portAnswers(port)) {
        // Not `await_startup` right after launch: it races the node's registration.
        const ok = await run('rabbitmq-diagnostics', ['-q', '-n', node, 'check_port_connectivity'], {
          env,
          timeout: 30_000,
        }).then(
          () => true,
          () => false,
        );
        if (ok) return;
      } else if (exited) {
        throw new Error(`throwaway RabbitMQ ${node} exited during boot; see ${join(dir, 'log')}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`throwaway RabbitMQ ${node} did not start within 90 s; see ${join(dir, 'log')}`);
  };
  const stop = async (): Promise<void> => {
    await run('rabbitmqctl', ['-q', '-n', node, 'stop'], { env, timeout: 60_000 }).catch(() => undefined);
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
