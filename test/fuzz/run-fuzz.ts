import { hostileCases, type FuzzCase } from './hostile-cases.js';
import type { FuzzTarget } from './fuzz-target.js';

/** An answer slower than this is a hang. */
const HANG_AFTER_MS = 10_000;
const CONCURRENCY = 8;
/** What a stack trace or an internal path looks like in a response body. */
const LEAK =
  /\n\s+at |\bat [\w.<>]+ \(|\.[cm]?[jt]s:\d+|node_modules|\/work\/|\/home\/|\/tmp\/|QueryFailedError|SQLITE_|ECONNREFUSED/;

export interface Finding {
  family: string;
  request: string;
  problem: string;
}

export interface FuzzReport {
  stack: string;
  seed: number;
  requests: number;
  findings: Finding[];
  byStatus: Record<string, number>;
  durationMs: number;
}

function describe(fuzzCase: FuzzCase): string {
  const body = fuzzCase.body === undefined ? '' : ` ${fuzzCase.body.slice(0, 160)}`;
  return `${fuzzCase.method} ${fuzzCase.path.slice(0, 200)}${body}`;
}

async function send(
  target: FuzzTarget,
  fuzzCase: FuzzCase,
): Promise<{ status: number; text: string } | Error> {
  const headers = { ...fuzzCase.headers };
  if (fuzzCase.needsFreshUser && headers.authorization === target.context.attacker)
    headers.authorization = await target.freshUser();
  try {
    const response = await fetch(`${target.baseUrl}${fuzzCase.path}`, {
      method: fuzzCase.method,
      headers,
      body: fuzzCase.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(HANG_AFTER_MS),
    });
    // An event stream stays open: its headers are the answer.
    const streaming = (response.headers.get('content-type') ?? '').startsWith('text/event-stream');
    const text = streaming ? '' : await response.text();
    if (streaming) await response.body?.cancel();
    return { status: response.status, text };
  } catch (error) {
    return error as Error;
  }
}

function problemOf(fuzzCase: FuzzCase, answer: { status: number; text: string } | Error): string | null {
  if (answer instanceof Error) {
    const cause = (answer.cause as Error | undefined)?.message ?? '';
    return answer.name === 'TimeoutError'
      ? `hang (no answer in ${HANG_AFTER_MS} ms)`
      : `reset: ${answer.message} ${cause}`;
  }
  if (answer.status >= 500) return `${answer.status}: ${answer.text.slice(0, 200)}`;
  if (LEAK.test(answer.text)) return `leak in ${answer.status}: ${answer.text.match(LEAK)![0]}`;
  if (fuzzCase.mustRefuse && answer.status >= 200 && answer.status < 300)
    return `accepted (${answer.status})`;
  return null;
}

/** Runs `count` seeded cases against the target; the same seed sends the same requests. */
export async function runFuzz(target: FuzzTarget, seed: number, count: number): Promise<FuzzReport> {
  const started = Date.now();
  const cases = hostileCases(target.doc, target.context, seed, count);
  const report: FuzzReport = {
    stack: target.stack,
    seed,
    requests: 0,
    findings: [],
    byStatus: {},
    durationMs: 0,
  };
  const canaryBefore = target.canaryHits();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < cases.length) {
      const fuzzCase = cases[next++]!;
      const answer = await send(target, fuzzCase);
      report.requests += 1;
      const status = answer instanceof Error ? 'error' : String(answer.status);
      report.byStatus[status] = (report.byStatus[status] ?? 0) + 1;
      const problem = problemOf(fuzzCase, answer);
      if (!problem) continue;
      report.findings.push({ family: fuzzCase.family, request: describe(fuzzCase), problem });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const canaryHits = target.canaryHits() - canaryBefore;
  if (canaryHits > 0)
    report.findings.push({
      family: 'ssrf',
      request: 'canary listener',
      problem: `${canaryHits} request(s) reached it`,
    });
  report.durationMs = Date.now() - started;
  return report;
}
