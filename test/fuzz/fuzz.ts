import globalSetup from '../support/infra-setup.js';
import type { Stack } from '../support/test-app.js';
import { startFuzzTarget } from './fuzz-target.js';
import { runFuzz, type FuzzReport } from './run-fuzz.js';

/**
 * `npm run fuzz [-- --cases 10000 --seed 12 --stack embedded,production]`: hostile requests built from
 * /api/docs-json against the whole app booted on each stack (the production stack on the servers the
 * tests use, in a database, key prefix and vhost of its own). Exit 1 on any finding.
 */
function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

function print(report: FuzzReport): void {
  console.log(
    `${report.stack}: ${report.requests} requests, ${report.findings.length} findings ` +
      `(seed ${report.seed}, ${(report.durationMs / 1000).toFixed(1)} s) ` +
      `statuses ${JSON.stringify(report.byStatus)}`,
  );
  for (const finding of report.findings.slice(0, 50))
    console.log(`  [${finding.family}] ${finding.problem}\n      ${finding.request}`);
}

const cases = Number(option('cases', '10000'));
const seed = Number(option('seed', '12'));
const stacks = option('stack', 'embedded,production').split(',') as Stack[];
const teardown = await globalSetup();
let findings = 0;
try {
  for (const stack of stacks) {
    const target = await startFuzzTarget(stack);
    try {
      const report = await runFuzz(target, seed, cases);
      print(report);
      findings += report.findings.length;
    } finally {
      await target.close();
    }
  }
} finally {
  await teardown();
}
process.exit(findings > 0 ? 1 : 0);
