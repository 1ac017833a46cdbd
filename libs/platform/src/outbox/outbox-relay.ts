import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { ShutdownSignal } from '../boot/shutdown-signal.js';
import { Clock } from '../clock/clock.js';
import { AppConfig } from '../config/app-config.js';
import { MESSAGE_BUS, type MessageBus, type QueueName } from '../messaging/message-bus.js';
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
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly pollMs: number;
  private readonly maxBackoffMs: number;
  private timer: NodeJS.Timeout | undefined;
  private relaying = false;
  private wokenWhileRelaying = false;
  private stopped = false;

  constructor(
    private readonly messages: OutboxMessageRepository,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    private readonly shutdown: ShutdownSignal,
    private readonly clock: Clock,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.pollMs = config.int('OUTBOX_POLL_MS');
    this.maxBackoffMs = config.int('OUTBOX_MAX_BACKOFF_MS');
  }

  onApplicationBootstrap(): void {
    this.shutdown.signal.addEventListener('abort', () => this.onModuleDestroy(), { once: true });
    this.schedule(0);
  }

  onModuleDestroy(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** A new row was committed: relay now instead of at the next poll. */
  wake(): void {
    if (this.relaying) this.wokenWhileRelaying = true;
    else this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.relay(), delayMs);
    this.timer.unref();
  }

  private async relay(): Promise<void> {
    this.relaying = true;
    let more = false;
    try {
      more = await this.publishDue();
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'outbox relay could not read the outbox');
    } finally {
      this.relaying = false;
      const again = more || this.wokenWhileRelaying;
      this.wokenWhileRelaying = false;
      this.schedule(again ? 0 : this.pollMs);
    }
  }

  /** Returns true when a full batch went out (there may be more). */
  private async publishDue(): Promise<boolean> {
    const now = this.clock.now();
    const due = await this.messages.due(now, BATCH);
    for (const message of due) {
      if (this.stopped) return false;
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
