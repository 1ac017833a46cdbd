import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './servers.js';

const ROOT = new URL('../../', import.meta.url).pathname;

/** The backend as a real OS process, started the way `npm start` starts it, with a clean environment. */
export interface AppProcess {
  child: ChildProcess;
  baseUrl: string;
  stateDir: string;
  /** Every stdout line so far (JSON log lines). */
  output: string[];
  exited: Promise<number | null>;
  waitForReady(timeoutMs?: number): Promise<void>;
  stop(): Promise<number | null>;
}

export async function startAppProcess(
  env: NodeJS.ProcessEnv = {},
  entry = 'apps/main.ts',
): Promise<AppProcess> {
  const port = await freePort();
  const stateDir = mkdtempSync(join(tmpdir(), 'eco2-proc-'));
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', '@swc-node/register/esm-register', entry],
    {
      cwd: ROOT,
      // Only what a fresh machine has: nothing configured beyond the port and state folder.
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PORT: String(port),
        STATE_DIR: stateDir,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output: string[] = [];
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    output.push(...lines.filter(Boolean));
  });
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    child,
    baseUrl,
    stateDir,
    output,
    exited,
    async waitForReady(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      let exitCode: number | null | undefined;
      void exited.then((code) => (exitCode = code));
      while (Date.now() < deadline) {
        if (exitCode !== undefined) throw new Error(`app exited with ${exitCode}:\n${output.join('\n')}`);
        const ok = await fetch(`${baseUrl}/health/ready`).then(
          (r) => r.status === 200,
          () => false,
        );
        if (ok) return;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`app not ready after ${timeoutMs} ms:\n${output.join('\n')}`);
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
