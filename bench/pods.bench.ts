import { startOpenAiStub } from '../test/support/openai-stub.js';
import { API_DOMAINS, WORKER_ROLES } from '../libs/platform/src/config/env-schema.js';
import { performance } from 'node:perf_hooks';
import { startBuiltApp } from './support/built-app.js';
import { processRssBytes } from './support/proc.js';
import { bareServer } from './support/load.js';
import { withProductionInfra } from './support/production-infra.js';
import { BenchReport, parseBenchArgs } from './support/report.js';
import { median } from './support/stats.js';

/*
 * `npm run bench:pods`: idle RSS and time from spawn to a 200 on /health/ready for each of the nine
 * workloads (seven API domains, two worker roles) and the all-in-one process, as the built app on the
 * production adapters (PostgreSQL, Redis, RabbitMQ; S3 via s3rver; OpenAI via the local stub). The
 * all-in-one process migrates the shared schema first, so the pods boot as they do in a cluster
 * whose migrations are applied.
 */

const options = parseBenchArgs();
const BOOTS = options.full ? 3 : 1;
const IDLE_MS = 3000;
const MB = 1024 * 1024;

interface Workload {
  name: string;
  env: NodeJS.ProcessEnv;
  rssTargetMb?: number;
  readyTargetMs?: number;
}

const WORKLOADS: Workload[] = [
  { name: 'all-in-one', env: { APP_ROLE: 'all' } },
  ...API_DOMAINS.map((domain) => ({
    name: `api:${domain}`,
    env: { APP_ROLE: 'api', APP_DOMAINS: domain },
    rssTargetMb: 100,
    readyTargetMs: 1500,
  })),
  ...WORKER_ROLES.map((role) => ({
    name: `worker:${role}`,
    env: { APP_ROLE: 'worker', WORKER_ROLES: role },
    ...(role === 'ai' ? { rssTargetMb: 160 } : {}),
  })),
];

const report = new BenchReport('pod footprint', options, { bootsPerWorkload: BOOTS, idleMs: IDLE_MS });
const stub = await startOpenAiStub();
try {
  await withProductionInfra(async (freshStackEnv) => {
    const stackEnv = await freshStackEnv({
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      OPENAI_API_KEY: 'sk-bench',
      OPENAI_BASE_URL: stub.baseUrl,
    });
    // Baseline in the same run: a bare node:http process, spawn to first answer, and its idle RSS.
    const bareSamples: { rss: number; readyMs: number }[] = [];
    for (let boot = 0; boot < BOOTS; boot++) {
      const started = performance.now();
      const bare = await bareServer({
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: Buffer.from('{}'),
      });
      await fetch(bare.url);
      const readyMs = performance.now() - started;
      await new Promise((r) => setTimeout(r, IDLE_MS));
      bareSamples.push({ rss: processRssBytes(bare.pid), readyMs });
      await bare.close();
    }
    const bareRssMb = median(bareSamples.map((s) => s.rss)) / MB;
    const bareReadyMs = median(bareSamples.map((s) => s.readyMs));
    report.add({ name: 'bare node:http idle RSS', value: bareRssMb, unit: 'MB' });
    report.add({ name: 'bare node:http ready', value: bareReadyMs, unit: 'ms' });
    for (const workload of WORKLOADS) {
      const samples: { rss: number; readyMs: number }[] = [];
      for (let boot = 0; boot < BOOTS; boot++) {
        const app = await startBuiltApp({ ...stackEnv, ...workload.env });
        try {
          await new Promise((r) => setTimeout(r, IDLE_MS));
          samples.push({ rss: app.rssBytes(), readyMs: app.readyMs });
        } finally {
          await app.stop();
        }
      }
      const rssMb = median(samples.map((s) => s.rss)) / MB;
      const readyMs = median(samples.map((s) => s.readyMs));
      process.stderr.write(`  ${workload.name}: ${rssMb.toFixed(0)} MB, ready in ${readyMs.toFixed(0)} ms\n`);
      report.add({
        name: `${workload.name} idle RSS`,
        value: rssMb,
        unit: 'MB',
        baseline: { name: 'bare node', value: bareRssMb },
        ratio: rssMb / bareRssMb,
        ...(workload.rssTargetMb ? { target: { value: workload.rssTargetMb, higherIsBetter: false } } : {}),
      });
      report.add({
        name: `${workload.name} ready`,
        value: readyMs,
        unit: 'ms',
        baseline: { name: 'bare node', value: bareReadyMs },
        ratio: readyMs / bareReadyMs,
        ...(workload.readyTargetMs
          ? { target: { value: workload.readyTargetMs, higherIsBetter: false } }
          : {}),
      });
    }
  });
} finally {
  await stub.close();
}
process.exitCode = report.finish() ? 0 : 1;
