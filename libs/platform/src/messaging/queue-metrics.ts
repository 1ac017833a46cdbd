import { Counter, register } from 'prom-client';

/** What became of one delivery: handled (`ack`), scheduled again (`retry`) or dead-lettered. */
export type QueueOutcome = 'ack' | 'retry' | 'dead_letter';

export const QUEUE_MESSAGES_PROCESSED = 'queue_messages_processed_total';

/**
 * `queue_messages_processed_total{queue,outcome}` in prom-client's default registry (the one `/metrics`
 * serves). Looked up before it is created, so several buses (or test files) in one process share it.
 */
export function queueMessagesProcessed(): Counter<'queue' | 'outcome'> {
  const existing = register.getSingleMetric(QUEUE_MESSAGES_PROCESSED);
  if (existing) return existing as Counter<'queue' | 'outcome'>;
  return new Counter({
    name: QUEUE_MESSAGES_PROCESSED,
    help: 'Queue deliveries processed by outcome (ack, retry, dead_letter)',
    labelNames: ['queue', 'outcome'],
  });
}

export function countProcessed(queue: string, outcome: QueueOutcome): void {
  queueMessagesProcessed().inc({ queue, outcome });
}
