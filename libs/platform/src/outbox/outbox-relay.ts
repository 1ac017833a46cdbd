import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '../clock/clock.js';
import { AppConfig } from '../config/app-config.js';
import { MESSAGE_BUS, type MessageBus, type QueueName } from '../messaging/message-bus.js';
import { PeriodicRunner, type PeriodicRunOutcome, type PeriodicTask } from '../periodic/periodic-runner.js';
import { OutboxMessageRepository } from './outbox-message.repository.js';

const BATCH = 50;
/** A claimed row is not picked by another relay for this long (longer than a publish can take). */
const CLAIM_MS = 30_000;
const FIRST_BACKOFF_MS = 500;

/**
 * Publishes outbox rows to their queue, with the row id as message id, and marks them sent. While the
 * broker is down a row backs off and is tried again, so every request that got its 202 is published.
 * Several relays (pods) may run: a row is claimed before publishing; a rare double publish is
 * absorbed by the idempotent worker.
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
    for (const message of due) {
      if (signal.aborted) return false;
      if (!(await this.messages.claim(message, new Date(now.getTime() + CLAIM_MS)))) continue;
      try {
        await this.bus.publish(message.queue as QueueName, message.body, { messageId: message.id });
      } catch (error) {
        const backoff = Math.min(this.maxBackoffMs, FIRST_BACKOFF_MS * 2 ** message.attempts);
        await this.messages.defer(message.id, new Date(this.clock.now().getTime() + backoff));
        this.logger.warn(
          {
            outboxId: message.id,
            queue: message.queue,
            attempts: message.attempts + 1,
            retryInMs: backoff,
            err: (error as Error).message,
          },
          'outbox publish failed; will retry',
        );
        // The broker is likely down for every row: stop this round instead of timing out on each.
        return false;
      }
      await this.messages.markSent(message.id, this.clock.now());
    }
    return due.length === BATCH;
  }
}
