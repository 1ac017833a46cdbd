import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '../clock/clock.js';
import { AppConfig } from '../config/app-config.js';
import { MESSAGE_BUS, type MessageBus, type QueueName } from '../messaging/message-bus.js';
import { PeriodicRunner, type PeriodicRunOutcome, type PeriodicTask } from '../periodic/periodic-runner.js';
import type { OutboxMessage } from './outbox-message.entity.js';
import { OutboxMessageRepository } from './outbox-message.repository.js';

const BATCH = 50;
/** A claimed row is not picked by another relay for this long (longer than a publish can take). */
const CLAIM_MS = 30_000;
const FIRST_BACKOFF_MS = 500;

/**
 * Publishes outbox rows to their queue, with the row id as message id, and marks them sent. While the
 * broker is down a row backs off and is tried again, so every request that got its 202 is published.
 * Several relays (pods) may run: a row is claimed before publishing; a rare double publish is
 * absorbed by the idempotent worker. A round works on a batch: one claim, the publishes side by side,
 * one mark-sent, so the database sees a few statements per batch rather than two per message.
 */
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly maxBackoffMs: number;
  private readonly task: PeriodicTask;

  constructor(
    private readonly messages: OutboxMessageRepository,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    private readonly clock: Clock,
    @Inject(AppConfig) config: AppConfig,
    runner: PeriodicRunner,
  ) {
    this.maxBackoffMs = config.int('OUTBOX_MAX_BACKOFF_MS');
    this.task = runner.schedule({
      name: 'outbox-relay',
      everyMs: 'OUTBOX_POLL_MS',
      run: (signal) => this.relay(signal),
    });
  }

  /** A new row was committed: relay now instead of at the next poll. */
  wake(): void {
    this.task.wake();
  }

  private async relay(signal: AbortSignal): Promise<PeriodicRunOutcome> {
    // A full batch went out: there may be more, so go again at once.
    return (await this.publishDue(signal)) ? { nextRunInMs: 0 } : {};
  }

  /** Returns true when a full batch went out (there may be more). */
  private async publishDue(signal: AbortSignal): Promise<boolean> {
    const now = this.clock.now();
    const due = await this.messages.due(now, BATCH);
    if (due.length === 0 || signal.aborted) return false;
    const claimed = await this.messages.claim(due, now, new Date(now.getTime() + CLAIM_MS));
    const outcomes = await Promise.allSettled(
      claimed.map((message) =>
        this.bus.publish(message.queue as QueueName, message.body, { messageId: message.id }),
      ),
    );
    const sent: string[] = [];
    const failed: OutboxMessage[] = [];
    let firstError: unknown;
    claimed.forEach((message, i) => {
      const outcome = outcomes[i]!;
      if (outcome.status === 'fulfilled') sent.push(message.id);
      else {
        failed.push(message);
        firstError ??= outcome.reason;
      }
    });
    await this.messages.markSent(sent, this.clock.now());
    if (failed.length > 0) await this.deferFailed(failed, firstError);
    return failed.length === 0 && due.length === BATCH;
  }

  /** Each failed row backs off by its own attempt count (the broker is likely down for all of them). */
  private async deferFailed(failed: readonly OutboxMessage[], error: unknown): Promise<void> {
    const byBackoff = new Map<number, string[]>();
    for (const message of failed) {
      const backoff = Math.min(this.maxBackoffMs, FIRST_BACKOFF_MS * 2 ** message.attempts);
      byBackoff.set(backoff, [...(byBackoff.get(backoff) ?? []), message.id]);
    }
    for (const [backoff, ids] of byBackoff)
      await this.messages.defer(ids, new Date(this.clock.now().getTime() + backoff));
    this.logger.warn(
      {
        outboxIds: failed.map((message) => message.id),
        queues: [...new Set(failed.map((message) => message.queue))],
        attempts: Math.min(...failed.map((message) => message.attempts)) + 1,
        retryInMs: Math.min(...byBackoff.keys()),
        err: (error as Error).message,
      },
      'outbox publish failed; will retry',
    );
  }
}
