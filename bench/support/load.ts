import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { median } from './stats.js';

export interface LoadTarget {
  name: string;
  url: string;
  headers?: Record<string, string>;
}

export interface LoadResult {
  /** Mean req/s over the run (2xx only count). */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Responses that were not 2xx plus socket errors and timeouts: a benchmark of errors measures nothing. */
  failures: number;
}

export interface LoadOptions {
  connections: number;
  durationSeconds: number;
  pipelining?: number;
  /** A number of requests instead of a duration. */
  requests?: number;
}

/** One autocannon run against a URL (the same load tool for the app and its baselines). */
export async function load(target: LoadTarget, options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: target.url,
    headers: target.headers,
    connections: options.connections,
    duration: options.durationSeconds,
    amount: options.requests,
    pipelining: options.pipelining ?? 1,
  });
  const seconds = result.duration;
  return {
    rps: result['2xx'] / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

/**
 * Interleaves the targets round by round (A B C, A B C, …) after one warm-up pass, so that a noisy
 * neighbour slows every target alike, and returns each target's median over the rounds.
 */
export async function compareUnderLoad(
  targets: readonly LoadTarget[],
  options: LoadOptions & { rounds: number; warmupSeconds: number },
): Promise<Map<string, LoadResult>> {
  for (const target of targets) await load(target, { ...options, durationSeconds: options.warmupSeconds });
  const runs = new Map<string, LoadResult[]>(targets.map((t) => [t.name, []]));
  for (let round = 0; round < options.rounds; round++) {
    for (const target of targets) {
      const result = await load(target, options);
      process.stderr.write(
        `  round ${round + 1} ${target.name}: ${result.rps.toFixed(0)} req/s, p99 ${result.p99Ms} ms${result.failures ? `, ${result.failures} failures` : ''}\n`,
      );
      runs.get(target.name)!.push(result);
    }
  }
  return new Map(
    [...runs].map(([name, results]) => [
      name,
      {
        rps: median(results.map((r) => r.rps)),
        p50Ms: median(results.map((r) => r.p50Ms)),
        p99Ms: median(results.map((r) => r.p99Ms)),
        failures: results.reduce((sum, r) => sum + r.failures, 0),
      },
    ]),
  );
}

export interface CapturedResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Fetches what the app answers, so the bare server can answer exactly the same bytes. */
export async function capture(target: LoadTarget): Promise<CapturedResponse> {
  const response = await fetch(target.url, { headers: target.headers });
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200)
    throw new Error(`${target.name} answered ${response.status}: ${body.toString()}`);
  return {
    status: response.status,
    headers: { 'content-type': response.headers.get('content-type') ?? '' },
    body,
  };
}

/**
 * The baseline: a bare `node:http` server in its own process (as the app is), answering every
 * request with the captured bytes.
 */
export interface BareServer {
  url: string;
  pid: number;
  close(): Promise<void>;
}

/** `launcher`: a command put before node's, to run it (e.g. valgrind and its options), as for the app. */
export async function bareServer(response: CapturedResponse, launcher: string[] = []): Promise<BareServer> {
  const [command, ...args] = [...launcher, process.execPath, '-e', BARE_SERVER_SOURCE];
  const child = spawn(command, args, {
    env: {
      BARE_BODY: response.body.toString('base64'),
      BARE_STATUS: String(response.status),
      BARE_HEADERS: JSON.stringify(response.headers),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
    child.stdout!.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    close: () =>
      new Promise<void>((resolve) => {
        child.removeAllListeners('exit');
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

const BARE_SERVER_SOURCE = `
const { createServer } = require('node:http');
const body = Buffer.from(process.env.BARE_BODY, 'base64');
const status = Number(process.env.BARE_STATUS);
const headers = { ...JSON.parse(process.env.BARE_HEADERS), 'content-length': body.length };
const server = createServer((request, reply) => {
  reply.writeHead(status, headers);
  reply.end(body);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
process.on('SIGTERM', () => process.exit(0));
`;
