import { abortablePause } from '../clock/abortable-pause.js';
import { AiProviderError } from './ai-provider.js';

/** How hard one AI step tries before it gives up. */
export interface ProviderRetryPolicy {
  /** Calls in all, the first included. */
  attempts: number;
  /** First pause between calls; it doubles each time. */
  baseDelayMs: number;
  /** Aborted when the caller's overall bound passes: no new call starts after it. */
  signal: AbortSignal;
}

/** An AI step that failed for good: the provider kept failing, refused for a permanent reason, or time ran out. */
export class AiStepFailed extends Error {
  readonly code = 'AI_PROVIDER_FAILED';
}

/**
 * Runs one provider call with backoff on retryable failures (malformed answers, 5xx, timeouts). The
 * provider client retries HTTP errors itself; this covers what it cannot see (garbage JSON that
 * fails the caller's validation) and keeps the whole step inside the caller's bound.
 */
export async function withProviderRetry<T>(policy: ProviderRetryPolicy, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    throwIfAborted(policy.signal);
    try {
      return await call();
    } catch (error) {
      throwIfAborted(policy.signal);
      const retryable = !(error instanceof AiProviderError) || error.retryable;
      if (!retryable || attempt >= policy.attempts) {
        throw new AiStepFailed(`AI provider failed: ${(error as Error).message}`);
      }
      await abortablePause(policy.baseDelayMs * 2 ** (attempt - 1), policy.signal);
    }
  }
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new AiStepFailed('AI step aborted: its time ran out');
}
