import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * The S3-compatible server of a test run, in a child process that is started again on the same port
 * and folder when it dies (s3-server-child.mjs says why it can). An upload in flight at that moment
 * fails with a reset, which the AWS SDK's own retry covers; everything stored stays on disk.
 */
export interface S3Server {
  endpoint: string;
  close(): Promise<void>;
}

/** The child's script, which names its process on the command line (benchmarks find it by this). */
export const s3ServerChildScript = fileURLToPath(new URL('./s3-server-child.mjs', import.meta.url));

/** Starts the child; resolves with its port once it listens, and calls onDeath if it dies after that. */
function startChild(
  port: number,
  directory: string,
  bucket: string,
  onDeath: (code: number | null, signal: NodeJS.Signals | null) => void,
): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = fork(s3ServerChildScript, [String(port), directory, bucket], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: [], // plain JavaScript: none of the parent's loaders
    });
    let listening = false;
    child.once('message', (message: { port: number }) => {
      listening = true;
      resolve({ child, port: message.port });
    });
    child.once('exit', (code, signal) => {
      if (listening) onDeath(code, signal);
      else reject(new Error(`s3rver exited (${signal ?? code}) before listening on port ${port}`));
    });
  });
}

export async function startS3Server(directory: string, bucket: string): Promise<S3Server> {
  let closing = false;
  let child: ChildProcess;
  let port = 0;
  const start = async (): Promise<void> => {
    const started = await startChild(port, directory, bucket, (code, signal) => {
      if (closing) return;
      console.warn(`s3rver (test S3) exited (${signal ?? code}); starting it again on port ${port}`);
      start().catch((error: unknown) => console.error('s3rver (test S3) did not start again', error));
    });
    child = started.child;
    port = started.port;
  };
  await start();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async close() {
      closing = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.disconnect();
      await exited;
    },
  };
}
