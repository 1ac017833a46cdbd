import type { BuiltApp } from './built-app.js';
import type { BenchReport } from './report.js';

const COUNTER = new URL('./round-trip-counter.mjs', import.meta.url).href;
const LINE = /^round-trips (\{.*\})$/m;

/** `service: what` → how many, as round-trip-counter.mjs prints them. */
export type RoundTripCounts = Record<string, number>;

/** The node arguments that load the counter into an app process (`--round-trips`). */
export const roundTripNodeArgs = (): string[] => ['--import', COUNTER];

/** The counts of an app process so far: asks it (SIGUSR2) and waits for its line. */
export async function roundTripsOf(app: BuiltApp): Promise<RoundTripCounts> {
  const seen = app.output.length;
  app.child.kill('SIGUSR2');
  for (let waited = 0; waited < 5000; waited += 20) {
    const line = LINE.exec(app.output.slice(seen).join(''));
    if (line) return JSON.parse(line[1]) as RoundTripCounts;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the app process did not report its round trips (started without --round-trips?)');
}

/**
 * Adds what one app process sent to each service between two snapshots, per scan: a figure per service
 * (statements, commands, requests), and each statement or command on stderr.
 */
export function reportRoundTrips(
  report: BenchReport,
  role: string,
  before: RoundTripCounts,
  after: RoundTripCounts,
  scans: number,
): void {
  const perScan = Object.entries(after)
    .map(([key, count]): [string, number] => [key, (count - (before[key] ?? 0)) / scans])
    .filter(([, count]) => count > 0)
    .sort(([a], [b]) => a.localeCompare(b));
  const totals = new Map<string, number>();
  for (const [key, count] of perScan) {
    const [service, what] = key.split(': ', 2);
    if (what !== 'socket writes') totals.set(service, (totals.get(service) ?? 0) + count);
  }
  for (const [service, count] of totals)
    report.add({ name: `${role}: ${service} requests per scan`, value: count, unit: '' });
  for (const [key, count] of perScan) process.stderr.write(`  ${role} ${count.toFixed(2)} ${key}\n`);
}
