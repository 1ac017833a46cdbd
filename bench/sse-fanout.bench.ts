import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { request, type IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { AppConfig, JobEventLogs, SystemClock } from '../libs/platform/src/index.js';
import { profileOf, startBuiltApp } from './support/built-app.js';
import { processCpuMs, processRssBytes } from './support/proc.js';
import { benchKeys, insertUsers } from './support/callers.js';
import { withProductionInfra } from './support/production-infra.js';
import { BenchReport, parseBenchArgs } from './support/report.js';
import { median, percentile, ratio } from './support/stats.js';
import { RedisKeyValueStore } from '../libs/platform/src/kv/redis-key-value-store.js';
import { ScanProgress, seqOf, type ScanStage } from '../libs/scan/src/scan-progress.js';
import { SCAN_ENV } from '../libs/scan/src/scan.env.js';
import type { StageStatus } from '../libs/platform/src/index.js';

/*
 * `npm run bench:sse`: SSE fan-out on one API process (the built app, `APP_ROLE=api APP_DOMAINS=scan`,
 * on PostgreSQL + Redis + RabbitMQ). N clients each follow their own scan job's
 * `GET /api/v1/scan/{id}/events`; this process, standing in for the AI worker pod, appends each job's
 * progress events to the job's log in Redis (the real `ScanProgress`), paced evenly, one event per job
 * per round, ending with `done`. Delivery latency is from the start of the append to the client
 * reading the event. The baseline, in the same run with the same clients and appends: a bare node:http
 * SSE server fed by the same Redis pub/sub (bench/support/bare-sse-server.ts). Every stream must see
 * every event once, in order, and end after `done`; anything else counts as an error.
 */

const options = parseBenchArgs();
const STREAMS = options.full ? 5000 : 500;
const ROUND_MS = 1000;
const OPEN_CONCURRENCY = 100;
const ROUNDS: [ScanStage, StageStatus][] = [
  ['vision', 'started'],
  ['vision', 'completed'],
  ['rule', 'started'],
  ['rule', 'completed'],
  ['done', 'completed'],
];
const MB = 1024 * 1024;

interface FanoutResult {
  latenciesMs: number[];
  openMs: number;
  rssOpenBytes: number;
  /** Server CPU time (user + system) spent opening the streams, and then following them to the end. */
  openCpuMs: number;
  followCpuMs: number;
  errors: string[];
}

interface Follower {
  jobId: string;
  seqs: number[];
  ended: boolean;
  response?: IncomingMessage;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Opens one SSE stream; resolves once the 200 and its headers arrived. */
function follow(
  url: string,
  headers: Record<string, string>,
  follower: Follower,
  received: (jobId: string, seq: number) => void,
  errors: string[],
): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { accept: 'text/event-stream', ...headers }, agent: false });
    req.on('error', (error) => {
      errors.push(`${follower.jobId}: ${error.message}`);
      reject(error);
    });
    req.on('response', (response) => {
      if (response.statusCode !== 200) {
        errors.push(`${follower.jobId}: status ${response.statusCode}`);
        response.resume();
        return reject(new Error(`status ${response.statusCode}`));
      }
      follower.response = response;
      response.setEncoding('utf8');
      let buffer = '';
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').find((line) => line.startsWith('data: '));
          if (!data) continue;
          const event = JSON.parse(data.slice(6)) as { seq: number };
          follower.seqs.push(event.seq);
          received(follower.jobId, event.seq);
        }
      });
      response.on('end', () => (follower.ended = true));
      response.on('error', (error) => errors.push(`${follower.jobId}: ${error.message}`));
      resolve();
    });
    req.end();
  });
}

/** N streams against `urlOf`, then the paced rounds of appends; latency of every delivery. */
async function measureFanout(
  label: string,
  urlOf: (jobId: string) => string,
  headers: Record<string, string>,
  jobIds: string[],
  progress: ScanProgress,
  serverPid: number,
): Promise<FanoutResult> {
  const errors: string[] = [];
  const sentAt = new Map<string, number>();
  const latenciesMs: number[] = [];
  const received = (jobId: string, seq: number): void => {
    const sent = sentAt.get(`${jobId}:${seq}`);
    if (sent === undefined) errors.push(`${jobId}: unexpected seq ${seq}`);
    else latenciesMs.push(performance.now() - sent);
  };
  const followers: Follower[] = jobIds.map((jobId) => ({ jobId, seqs: [], ended: false }));

  const cpuBeforeOpen = processCpuMs(serverPid);
  const openStarted = performance.now();
  for (let i = 0; i < followers.length; i += OPEN_CONCURRENCY) {
    await Promise.all(
      followers
        .slice(i, i + OPEN_CONCURRENCY)
        .map((f) => follow(urlOf(f.jobId), headers, f, received, errors).catch(() => undefined)),
    );
  }
  const openMs = performance.now() - openStarted;
  // Let the server finish registering the last watches before the first append.
  await sleep(500);
  const rssOpenBytes = processRssBytes(serverPid);
  const cpuOpen = processCpuMs(serverPid);
  process.stderr.write(`${label}: ${followers.length} streams open in ${openMs.toFixed(0)} ms\n`);

  for (const [stage, status] of ROUNDS) {
    const started = performance.now();
    const appends: Promise<unknown>[] = [];
    for (const [i, jobId] of jobIds.entries()) {
      const wait = started + (i * ROUND_MS) / jobIds.length - performance.now();
      if (wait > 1) await sleep(wait);
      const seq = seqOf(stage, status);
      sentAt.set(`${jobId}:${seq}`, performance.now());
      appends.push(progress.record(jobId, stage, status).catch((error: Error) => errors.push(error.message)));
    }
    await Promise.all(appends);
  }
  const expected = ROUNDS.map(([stage, status]) => seqOf(stage, status));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && followers.some((f) => !f.ended)) await sleep(100);
  for (const f of followers) {
    if (f.seqs.join() !== expected.join()) errors.push(`${f.jobId}: got seqs [${f.seqs.join()}]`);
    if (!f.ended) errors.push(`${f.jobId}: stream did not end after done`);
    f.response?.destroy();
  }
  const followCpuMs = processCpuMs(serverPid) - cpuOpen;
  return { latenciesMs, openMs, rssOpenBytes, openCpuMs: cpuOpen - cpuBeforeOpen, followCpuMs, errors };
}

/** The baseline server as its own process; resolves with its URL. */
async function startBareSseServer(
  env: NodeJS.ProcessEnv,
): Promise<{ url: string; pid: number; stop(): void }> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=source',
      '--import',
      '@swc-node/register/esm-register',
      new URL('./support/bare-sse-server.ts', import.meta.url).pathname,
    ],
    {
      env: { PATH: process.env.PATH, REDIS_URL: env.REDIS_URL, REDIS_KEY_PREFIX: env.REDIS_KEY_PREFIX },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bare SSE server exited with ${code}`)));
    child.stdout!.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
  });
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => child.kill('SIGTERM') };
}

async function insertScanJobs(env: NodeJS.ProcessEnv, userId: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  const client = new pg.Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  await client.query(`SET search_path TO ${env.DATABASE_SCHEMA}`);
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    await client.query(
      `INSERT INTO scan_jobs (id, user_id, status, image_key, image_url)
       SELECT id, $1, 'running', 'bench/' || id, 'https://cdn.invalid/' || id FROM unnest($2::uuid[]) AS id`,
      [userId, chunk],
    );
  }
  await client.end();
  return ids;
}

const report = new BenchReport('SSE fan-out', options, {
  streams: STREAMS,
  roundMs: ROUND_MS,
  rounds: ROUNDS.length,
});
await withProductionInfra(async (freshStackEnv) => {
  const keys = benchKeys();
  const env = await freshStackEnv({
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    APP_ROLE: 'api',
    APP_DOMAINS: 'scan',
    ...keys.env,
  });
  // A loaded machine boots slowly; the figures are taken once it is ready.
  const app = await startBuiltApp(env, { ...profileOf(options), readyTimeoutMs: 180_000 });
  const rssIdleBytes = app.rssBytes();
  const bare = await startBareSseServer(env);
  const store = new RedisKeyValueStore(env.REDIS_URL!, env.REDIS_KEY_PREFIX!);
  try {
    const [userId] = await insertUsers({ url: env.DATABASE_URL!, schema: env.DATABASE_SCHEMA! }, 1);
    const progress = new ScanProgress(
      new JobEventLogs(store, AppConfig.load(SCAN_ENV, {})),
      new SystemClock(),
    );
    const bearer = { authorization: `Bearer ${keys.sign(userId!)}` };

    const appJobs = await insertScanJobs(env, userId!, STREAMS);
    const measured = await measureFanout(
      'app',
      (id) => `${app.baseUrl}/api/v1/scan/${id}/events`,
      bearer,
      appJobs,
      progress,
      app.pid,
    );
    const rssEndBytes = app.rssBytes();
    const bareJobs = Array.from({ length: STREAMS }, () => randomUUID());
    const baseline = await measureFanout(
      'bare',
      (id) => `${bare.url}/events/${id}`,
      {},
      bareJobs,
      progress,
      bare.pid,
    );

    const p99 = percentile(measured.latenciesMs, 99);
    const bareP99 = percentile(baseline.latenciesMs, 99);
    report.add({
      name: `delivery p99, ${STREAMS} streams`,
      value: p99,
      unit: 'ms',
      baseline: { name: 'bare node:http + pub/sub', value: bareP99 },
      ratio: ratio(p99, bareP99),
      target: { value: 100, higherIsBetter: false },
    });
    report.add({
      name: 'delivery median',
      value: median(measured.latenciesMs),
      unit: 'ms',
      baseline: { name: 'bare node:http + pub/sub', value: median(baseline.latenciesMs) },
      ratio: ratio(median(measured.latenciesMs), median(baseline.latenciesMs)),
    });
    report.add({
      name: 'events delivered',
      value: measured.latenciesMs.length,
      unit: 'events',
      baseline: { name: 'expected', value: STREAMS * ROUNDS.length },
      ratio: ratio(measured.latenciesMs.length, STREAMS * ROUNDS.length),
      target: { ratio: 1, higherIsBetter: true },
    });
    report.add({
      name: 'errors (status, socket, lost/duplicate/out-of-order event, unclosed stream)',
      value: measured.errors.length,
      unit: '',
      target: { value: 0, higherIsBetter: false },
      note: measured.errors.slice(0, 5).join('; ') || undefined,
    });
    report.add({
      name: `API process RSS, ${STREAMS} streams open`,
      value: measured.rssOpenBytes / MB,
      unit: 'MB',
      baseline: { name: 'bare server', value: baseline.rssOpenBytes / MB },
      ratio: ratio(measured.rssOpenBytes, baseline.rssOpenBytes),
      note: `idle before the streams ${(rssIdleBytes / MB).toFixed(0)} MB, after the run ${(rssEndBytes / MB).toFixed(0)} MB`,
    });
    report.add({
      name: `time to open ${STREAMS} streams (${OPEN_CONCURRENCY} at a time)`,
      value: measured.openMs,
      unit: 'ms',
      baseline: { name: 'bare server', value: baseline.openMs },
      ratio: ratio(measured.openMs, baseline.openMs),
    });
    /** A figure of both servers, the app's against the bare one's. */
    const againstBare = (name: string, unit: string, of: (result: FanoutResult) => number) =>
      report.add({
        name,
        value: of(measured),
        unit,
        baseline: { name: 'bare server', value: of(baseline) },
        ratio: ratio(of(measured), of(baseline)),
      });
    againstBare(
      'server CPU per event delivered (all streams, end frames included)',
      'µs',
      (result) => (result.followCpuMs * 1000) / (STREAMS * ROUNDS.length),
    );
    againstBare('server CPU per stream opened', 'ms', (result) => result.openCpuMs / STREAMS);
    if (baseline.errors.length > 0)
      process.stderr.write(`baseline errors: ${baseline.errors.slice(0, 5).join('; ')}\n`);
  } finally {
    await store.close();
    bare.stop();
    await app.stop();
  }
});
process.exitCode = report.finish() ? 0 : 1;
