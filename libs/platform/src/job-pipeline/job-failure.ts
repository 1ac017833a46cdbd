/** How one run of a queued job failed, as far as the retry decision goes. */
export interface RunFailure {
  /** A later run may succeed (a timeout, a 5xx, a network error); false when the failure is final by nature. */
  transient: boolean;
  /** The queue will not deliver again (the last attempt, or the job's own run budget is spent). */
  lastAttempt: boolean;
  /** Output already reached the client (a streamed token): a second run would show it twice. */
  outputStreamed: boolean;
}

/**
 * The one retry rule of every job pipeline: throw for the queue to deliver again only when a retry can
 * help, there will be one, and the client has seen nothing of this run's output. Otherwise the job
 * ends visibly now (a failed result, an `error` event).
 */
export const shouldRetry = (failure: RunFailure): boolean =>
  failure.transient && !failure.lastAttempt && !failure.outputStreamed;
