import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { profileOf, startBuiltApp } from './support/built-app.js';
import { benchKeys, insertUsers } from './support/callers.js';
import { bareServer, capture, compareUnderLoad, type LoadTarget } from './support/load.js';
import { BenchReport, parseBenchArgs } from './support/report.js';
import { ratio } from './support/stats.js';

/*
 * `npm run bench:http`: the cost of our request path. The built app (`node dist/apps/main.js`, embedded
 * defaults) answers authenticated GET /api/v1/character/catalog (static data) and GET /api/v1/users/me
 * (one database read); a bare `node:http` server answers the same bytes; autocannon drives both with
 * the same connections, interleaved round by round in the same run.
 */

const options = parseBenchArgs();
const CONNECTIONS = 32;
const ROUNDS = options.full ? 5 : 3;
const SECONDS = options.full ? 10 : 5;

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
  const [userId] = await insertUsers({ stateDir }, 1);
  const headers = { authorization: `Bearer ${keys.sign(userId)}` };
  const routes: LoadTarget[] = [
    { name: 'catalog', url: `${app.baseUrl}/api/v1/character/catalog`, headers },
    { name: 'users/me', url: `${app.baseUrl}/api/v1/users/me`, headers },
  ];
  const bares = await Promise.all(routes.map(async (route) => bareServer(await capture(route))));
  try {
    const targets = routes.flatMap((route, i) => [
      route,
      { name: `bare ${route.name}`, url: bares[i].url, headers },
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
process.exitCode = report.finish() ? 0 : 1;
