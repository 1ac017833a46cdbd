/**
 * The figures every outage drill prints and docs/RELIABILITY.md quotes: what was accepted, what
 * completed, what was lost or duplicated, and how many answers were a 5xx other than the intended
 * fail-closed 503 with its envelope. One line per drill, `DRILL <name> key=value …`, so the figures
 * can be collected from a test run's output.
 */
export interface DrillCounts {
  accepted: number;
  completed: number;
  lost: number;
  duplicated: number;
  /** Answers with a 5xx status other than 503 DEPENDENCY_UNAVAILABLE, and resets. */
  server_errors: number;
  [extra: string]: number;
}

export function reportDrill(name: string, counts: DrillCounts): void {
  const figures = Object.entries(counts)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
  console.log(`DRILL ${name} ${figures}`);
}

/** What one HTTP answer during a drill counts as. */
export type AnswerKind = 'ok' | 'fail_closed' | 'client_error' | 'server_error' | 'refused';

/** A 503 counts as failing closed only with the error envelope and its code; anything else 5xx is a server error. */
export function kindOfAnswer(status: number, body: unknown): AnswerKind {
  if (status < 400) return 'ok';
  if (status === 503 && (body as { code?: string } | null)?.code === 'DEPENDENCY_UNAVAILABLE')
    return 'fail_closed';
  return status >= 500 ? 'server_error' : 'client_error';
}

/**
 * Sends a request and classifies the answer: a reset or a 5xx body that is not JSON is a server error,
 * a refused connection was never accepted.
 */
export async function drillRequest(
  url: string,
  init: RequestInit = {},
): Promise<{ kind: AnswerKind; status: number; body: unknown }> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
    const text = await response.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      return { kind: response.status >= 500 ? 'server_error' : 'ok', status: response.status, body: text };
    }
    return { kind: kindOfAnswer(response.status, body), status: response.status, body };
  } catch (error) {
    // A reset (or refusal) is kept with its cause, so the drill can say what happened.
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    // Never accepted (nothing listens any more): the client, or its load balancer, goes elsewhere.
    if (cause?.code === 'ECONNREFUSED') return { kind: 'refused', status: 0, body: { error: cause.code } };
    return {
      kind: 'server_error',
      status: 0,
      body: { error: cause?.code ?? cause?.message ?? String(error) },
    };
  }
}
