import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from './support/built-app.js';
import { parseBenchArgs } from './support/report.js';

/*
 * `npm run bench`: every `bench/*.bench.ts`, one after another (each in its own process, so one
 * benchmark's heap and servers never load the next), at the quick size unless `--full`. Each prints
 * its table; `--json <file>` gathers all their figures into one file. Exits 1 if a benchmark failed or
 * missed a target.
 */

const options = parseBenchArgs();
const here = new URL('.', import.meta.url).pathname;
const benchmarks = readdirSync(here)
  .filter((file) => file.endsWith('.bench.ts'))
  .sort();
const outputs = mkdtempSync(join(tmpdir(), 'eco2-bench-all-'));
buildApp();
const outcomes: { benchmark: string; status: number | null }[] = [];
try {
  for (const file of benchmarks) {
    const json = join(outputs, `${file}.json`);
    process.stdout.write(`\n### ${file}\n`);
    const result = spawnSync(
      process.execPath,
      [
        '--conditions=source',
        '--import',
        '@swc-node/register/esm-register',
        join(here, file),
        ...(options.full ? ['--full'] : []),
        '--json',
        json,
        ...(options.cpuProf ? ['--cpu-prof', options.cpuProf] : []),
        ...(options.roundTrips ? ['--round-trips'] : []),
      ],
      { stdio: 'inherit', env: { ...process.env, ECO2_BENCH_BUILT: '1' } },
    );
    outcomes.push({ benchmark: file, status: result.status });
  }
  if (options.json) {
    const gathered = outcomes.flatMap(({ benchmark }) => {
      try {
        return [JSON.parse(readFileSync(join(outputs, `${benchmark}.json`), 'utf8')) as unknown];
      } catch {
        return [];
      }
    });
    writeFileSync(options.json, `${JSON.stringify(gathered, null, 2)}\n`);
  }
} finally {
  rmSync(outputs, { recursive: true, force: true });
}
process.stdout.write('\n');
for (const { benchmark, status } of outcomes) {
  process.stdout.write(
    `${benchmark}: ${status === 0 ? 'every target met' : status === 1 ? 'a target missed (see its table)' : `failed (exit ${status})`}\n`,
  );
}
process.exitCode = outcomes.every((o) => o.status === 0) ? 0 : 1;
