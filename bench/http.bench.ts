import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { profileOf, startBuiltApp } from './support/built-app.js';
import { benchKeys, insertUsers } from './support/callers.js';
import { InstructionCounter } from './support/instructions.js';
import { bareServer, capture, compareUnderLoad, load, type LoadTarget } from './support/load.js';
import { BenchReport, parseBenchArgs } from './support/report.js';
import { median, ratio } from './support/stats.js';

/*
 * `npm run bench:http`: the cost of our request path. The built app (`node dist/apps/main.js`, embedded
 * defaults) answers authenticated GET /api/v1/character/catalog (static data) and GET /api/v1/users/me
 * (one database read); a bare `node:http` server answers the same bytes; autocannon drives both with
 * the same connections, interleaved round by round in the same run.
 *
 * `--instructions` also counts, under valgrind, the instructions one request of each route costs the app
 * and the bare server, where instructions go rather than how fast (slow: a few minutes; see docs/PERFORMANCE.md
 * for how much the app's count moves between runs).
 */

const options = parseBenchArgs();
const CONNECTIONS = 32;
const ROUNDS = options.full ? 5 : 3;
const SECONDS = options.full ? 10 : 5;
/** Under valgrind: requests before counting, so that V8 has compiled the hot code, then rounds counted. */
const WARM_UP_REQUESTS = 10_000;
const COUNTED_ROUNDS = 3;
const COUNTED_REQUESTS = options.full ? 10_000 : 3000;

const report = new BenchReport('http overhead', options, {
  connections: CONNECTIONS,
  rounds: ROUNDS,
  secondsPerRound: SECONDS,
  stack: 'embedded defaults (SQLite, in-process KV)',
});
const stateDir = mkdtempSync(join(tmpdir(), 'eco2-bench-http-'));
const keys = benchKeys();
const app = await startBuiltApp({ ...keys.env, STATE_DIR: stateDir, LOG_LEVEL: 'info' }, profileOf(options));
try {
  const routes = await routesOf(app.baseUrl, stateDir);
  const bares = await Promise.all(routes.map(async (route) => bareServer(await capture(route))));
  try {
    const targets = routes.flatMap((route, i) => [
      route,
      { name: `bare ${route.name}`, url: bares[i].url, headers: route.headers },
    ]);
    const results = await compareUnderLoad(targets, {
      connections: CONNECTIONS,
      durationSeconds: SECONDS,
      rounds: ROUNDS,
      warmupSeconds: 2,
    });
    const targetRatio: Record<string, number> = { catalog: 0.5, 'users/me': 0.3 };
    for (const route of routes) {
      const measured = results.get(route.name)!;
      const bare = results.get(`bare ${route.name}`)!;
      report.add({
        name: `${route.name} req/s`,
        value: measured.rps,
        unit: 'req/s',
        baseline: { name: 'bare node:http', value: bare.rps },
        ratio: ratio(measured.rps, bare.rps),
        target: { ratio: targetRatio[route.name], higherIsBetter: true },
        note: measured.failures ? `${measured.failures} non-2xx or errors` : undefined,
      });
      report.add({
        name: `${route.name} p50`,
        value: measured.p50Ms,
        unit: 'ms',
        baseline: { name: 'bare node:http', value: bare.p50Ms },
      });
      report.add({
        name: `${route.name} p99`,
        value: measured.p99Ms,
        unit: 'ms',
        baseline: { name: 'bare node:http', value: bare.p99Ms },
        target: { value: 20, higherIsBetter: false },
      });
      if (measured.failures) throw new Error(`${route.name}: ${measured.failures} failed requests`);
    }
  } finally {
    await Promise.all(bares.map((bare) => bare.close()));
  }
} finally {
  await app.stop();
  rmSync(stateDir, { recursive: true, force: true });
}
if (options.instructions) await countInstructionsPerRequest();
process.exitCode = report.finish() ? 0 : 1;

/** The two measured routes of an app, called by a user inserted into its state folder. */
async function routesOf(baseUrl: string, stateDir: string): Promise<LoadTarget[]> {
  const [userId] = await insertUsers({ stateDir }, 1);
  const headers = { authorization: `Bearer ${keys.sign(userId)}` };
  return [
    { name: 'catalog', url: `${baseUrl}/api/v1/character/catalog`, headers },
    { name: 'users/me', url: `${baseUrl}/api/v1/users/me`, headers },
  ];
}

/** Each route's instructions per request, the app's and the bare server's, each under callgrind. */
async function countInstructionsPerRequest(): Promise<void> {
  const counter = new InstructionCounter();
  const countedStateDir = mkdtempSync(join(tmpdir(), 'eco2-bench-http-'));
  const counted = await startBuiltApp(
    { ...keys.env, STATE_DIR: countedStateDir, LOG_LEVEL: 'info' },
    { launcher: counter.launcher(), readyTimeoutMs: 300_000 },
  );
  try {
    for (const route of await routesOf(counted.baseUrl, countedStateDir)) {
      const bare = await bareServer(await capture(route), counter.launcher());
      try {
        const measured = await instructionsPerRequest(counter, counted.pid, route);
        const baseline = await instructionsPerRequest(counter, bare.pid, { ...route, url: bare.url });
        for (const [threads, label] of [
          ['mainThread', 'main thread'],
          ['allThreads', 'all threads'],
        ] as const)
          report.add({
            name: `${route.name} instructions/req, ${label}`,
            value: measured[threads],
            unit: 'instr',
            baseline: { name: 'bare node:http', value: baseline[threads] },
            ratio: measured[threads] / baseline[threads],
            note: `median of ${COUNTED_ROUNDS} rounds of ${COUNTED_REQUESTS} requests, V8's compilers left out`,
          });
      } finally {
        await bare.close();
      }
    }
  } finally {
    await counted.stop();
    counter.close();
    rmSync(countedStateDir, { recursive: true, force: true });
  }
}

/**
 * Instructions per request on the main thread of `pid` and on all its threads, V8's optimizing compilers
 * left out (under valgrind they run late, at random), each the median of the rounds.
 */
async function instructionsPerRequest(
  counter: InstructionCounter,
  pid: number,
  target: LoadTarget,
): Promise<{ mainThread: number; allThreads: number }> {
  const run = (requests: number) => load(target, { connections: 8, durationSeconds: 0, requests });
  await run(WARM_UP_REQUESTS);
  const mainThread: number[] = [];
  const allThreads: number[] = [];
  for (let round = 0; round < COUNTED_ROUNDS; round++) {
    const executed = await counter.count(pid, async () => {
      const result = await run(COUNTED_REQUESTS);
      if (result.failures) throw new Error(`${target.name}: ${result.failures} failed requests`);
    });
    mainThread.push((executed.mainThread.instructions - executed.mainThread.compiling) / COUNTED_REQUESTS);
    allThreads.push((executed.allThreads.instructions - executed.allThreads.compiling) / COUNTED_REQUESTS);
  }
  return { mainThread: median(mainThread), allThreads: median(allThreads) };
}
