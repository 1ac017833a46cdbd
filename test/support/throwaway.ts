import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, run, waitForPort } from './servers.js';

/**
 * Throwaway servers on their own ports and folders, for fault drills (stop/start) and for machines
 * without the standard services. Never touches the machine's standard instances.
 */
export interface Throwaway {
  url: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

const asPostgres = (command: string): Promise<unknown> =>
  run('su', ['postgres', '-s', '/bin/sh', '-c', command], { timeout: 60_000 });

export async function throwawayPostgres(): Promise<Throwaway> {
  const dir = mkdtempSync(join(tmpdir(), 'eco2-pg-'));
  chmodSync(dir, 0o777);
  const port = await freePort();
  const data = join(dir, 'data');
  await asPostgres(`initdb -D ${data} --auth=trust -U postgres >/dev/null`);
  const start = async (): Promise<void> => {
    await asPostgres(
      `pg_ctl -D ${data} -o "-p ${port} -k ${dir} -c listen_addresses=127.0.0.1" -l ${dir}/log -w start >/dev/null`,
    );
  };
  const stop = async (): Promise<void> => {
    await asPostgres(`pg_ctl -D ${data} -m fast -w stop >/dev/null`).catch(() => undefined);
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop,
    destroy: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function throwawayRedis(): Promise<Throwaway> {
  const port = await freePort();
  let child: ReturnType<typeof spawn> | undefined;
  const start = async (): Promise<void> => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    await waitForPort(port);
  };
  const stop = async (): Promise<void> => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, start, stop, destroy: stop };
}
