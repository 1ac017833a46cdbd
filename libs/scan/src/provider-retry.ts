import { AiProviderError } from '../../platform/src/index.js';

/** Why a job ended `failed`, as the client sees it (result `error.code`, SSE `error`). */
export class ScanStepFailed extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const JOB_TIMEOUT = 'SCAN_TIMEOUT';

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  /** Aborted when the job's overall bound passes. */
  signal: AbortSignal;
}

/**
 * Runs one provider call with backoff on retryable failures (malformed answers, 5xx, timeouts). The
 * provider client retries HTTP errors itself; this covers what it cannot see (garbage JSON) and keeps
 * the whole step inside the job's bound.
 */
export async function withProviderRetry<T>(policy: RetryPolicy, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    throwIfTimedOut(policy.signal);
    try {
      return await call();
    } catch (error) {
      throwIfTimedOut(policy.signal);
      const retryable = !(error instanceof AiProviderError) || error.retryable;
      if (!retryable || attempt >= policy.attempts) {
        throw new ScanStepFailed('AI_PROVIDER_FAILED', `AI provider failed: ${(error as Error).message}`);
      }
      await pause(policy.baseDelayMs * 2 ** (attempt - 1), policy.signal);
    }
  }
}

export function throwIfTimedOut(signal: AbortSignal): void {
  if (signal.aborted) throw new ScanStepFailed(JOB_TIMEOUT, 'The scan took longer than allowed');
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
