import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Logger } from '@nestjs/common';
import {
  PermanentFailure,
  retryDelayMs,
  type ConsumeOptions,
  type MessageBus,
  type MessageHandler,
  type QueueName,
} from './message-bus.js';
import { countProcessed } from './queue-metrics.js';

interface StoredMessage {
  id: string;
  queue: QueueName;
  body: string;
  attempts: number;
}

export interface SqliteMessageBusOptions {
  path: string;
  maxAttempts: number;
  retryBaseMs: number;
  /** A delivery not acked within the lease (consumer crashed) becomes visible again. */
  leaseMs?: number;
  pollIntervalMs?: number;
}

/**
 * Embedded default: a durable queue in a SQLite file (WAL). Delivery leases stand in for broker acks:
 * a message whose consumer dies is redelivered once its lease runs out; leases of live consumers are
 * renewed while their handler runs.
 */
export class SqliteMessageBus implements MessageBus {
  readonly kind = 'sqlite' as const;
  private readonly logger = new Logger('SqliteMessageBus');
  private readonly db: Database.Database;
  private readonly wake = new EventEmitter();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly pollers: NodeJS.Timeout[] = [];
  private readonly pumps: { queue: QueueName; pump: () => void }[] = [];
  private draining = false;
  private readonly leaseMs: number;
  private readonly pollIntervalMs: number;

  constructor(private readonly options: SqliteMessageBusOptions) {
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.db = new Database(options.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS queue_messages (
        id TEXT PRIMARY KEY, queue TEXT NOT NULL, body TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
        available_at INTEGER NOT NULL, leased_until INTEGER, created_at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS queue_messages_ready ON queue_messages (queue, available_at);
      CREATE TABLE IF NOT EXISTS queue_dead_letters (
        id TEXT PRIMARY KEY, queue TEXT NOT NULL, body TEXT NOT NULL, attempts INTEGER NOT NULL,
        reason TEXT, died_at INTEGER NOT NULL);`);
    this.wake.setMaxListeners(0);
  }

  async publish(queue: QueueName, body: unknown, options: { messageId?: string } = {}): Promise<void> {
    const now = Date.now();
    // A repeated messageId is the same logical message (outbox relays may publish twice): keep one.
    this.db
      .prepare(
        'INSERT OR IGNORE INTO queue_messages (id, queue, body, attempts, available_at, created_at) VALUES (?, ?, ?, 0, ?, ?)',
      )
      .run(options.messageId ?? randomUUID(), queue, JSON.stringify(body), now, now);
    this.wake.emit(queue);
  }

  async consume<T>(
    queue: QueueName,
    handler: MessageHandler<T>,
    options: ConsumeOptions = {},
  ): Promise<void> {
    if (this.draining) throw new Error('the message bus is draining: no new consumers');
    const concurrency = Math.max(1, options.concurrency ?? 1);
    let active = 0;
    const pump = (): void => {
      while (!this.draining && active < concurrency) {
        let message: StoredMessage | undefined;
        try {
          message = this.lease(queue);
        } catch (error) {
          // Database busy or closed: the poller tries again.
          this.logger.warn({ queue, err: (error as Error).message }, 'could not lease a message');
          return;
        }
        if (!message) return;
        if (message.attempts > this.options.maxAttempts) {
          // Leased more often than allowed without ever being settled: its consumers keep dying on it.
          try {
            this.deadLetter(message, 'consumer died on every attempt');
          } catch (error) {
            this.logger.warn({ queue, err: (error as Error).message }, 'could not dead-letter a message');
            return;
          }
          continue;
        }
        active++;
        const run = this.deliver(message, handler)
          .catch((error: unknown) =>
            // The handler's outcome could not be recorded (database gone): the lease runs out and the
            // message is delivered again, which at-least-once allows.
            this.logger.error(
              { queue, messageId: message.id, err: (error as Error).message },
              'settle failed',
            ),
          )
          .finally(() => {
            active--;
            this.inFlight.delete(run);
            if (!this.draining) setImmediate(pump);
          });
        this.inFlight.add(run);
      }
    };
    this.pumps.push({ queue, pump });
    this.wake.on(queue, pump);
    const poller = setInterval(pump, this.pollIntervalMs);
    poller.unref();
    this.pollers.push(poller);
    setImmediate(pump);
  }

  async drain(): Promise<void> {
    this.draining = true;
    for (const poller of this.pollers) clearInterval(poller);
    for (const { queue, pump } of this.pumps) this.wake.off(queue, pump);
    // Settling an in-flight message may start nothing new (draining), so this set only shrinks.
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  async deadLetters(queue: QueueName): Promise<unknown[]> {
    const rows = this.db
      .prepare('SELECT body FROM queue_dead_letters WHERE queue = ? ORDER BY died_at')
      .all(queue) as { body: string }[];
    return rows.map((row) => {
      try {
        return JSON.parse(row.body) as unknown;
      } catch {
        return row.body;
      }
    });
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    await this.drain();
    if (this.db.open) this.db.close();
  }

  private lease(queue: QueueName): StoredMessage | undefined {
    const now = Date.now();
    return this.db
      .prepare(
        `UPDATE queue_messages SET leased_until = ?, attempts = attempts + 1
         WHERE id = (SELECT id FROM queue_messages WHERE queue = ? AND available_at <= ? AND (leased_until IS NULL OR leased_until < ?)
                     ORDER BY available_at LIMIT 1)
         RETURNING id, queue, body, attempts`,
      )
      .get(now + this.leaseMs, queue, now, now) as StoredMessage | undefined;
  }

  private async deliver<T>(message: StoredMessage, handler: MessageHandler<T>): Promise<void> {
    const renew = setInterval(() => {
      try {
        this.db
          .prepare('UPDATE queue_messages SET leased_until = ? WHERE id = ?')
          .run(Date.now() + this.leaseMs, message.id);
      } catch {
        // Database closed under us: the lease simply runs out.
      }
    }, this.leaseMs / 3);
    try {
      let body: T;
      try {
        body = JSON.parse(message.body) as T;
      } catch {
        this.deadLetter(message, 'body is not JSON');
        return;
      }
      await handler({ id: message.id, queue: message.queue, body, attempt: message.attempts });
      this.db.prepare('DELETE FROM queue_messages WHERE id = ?').run(message.id);
      countProcessed(message.queue, 'ack');
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (error instanceof PermanentFailure || message.attempts >= this.options.maxAttempts) {
        this.deadLetter(message, reason);
      } else {
        const delay = retryDelayMs(this.options.retryBaseMs, message.attempts);
        this.db
          .prepare('UPDATE queue_messages SET leased_until = NULL, available_at = ? WHERE id = ?')
          .run(Date.now() + delay, message.id);
        countProcessed(message.queue, 'retry');
      }
    } finally {
      clearInterval(renew);
    }
  }

  private deadLetter(message: StoredMessage, reason: string): void {
    this.logger.warn(
      { queue: message.queue, messageId: message.id, attempts: message.attempts, reason },
      'message dead-lettered',
    );
    this.db.transaction(() => {
      this.db
        .prepare(
          'INSERT OR REPLACE INTO queue_dead_letters (id, queue, body, attempts, reason, died_at) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(message.id, message.queue, message.body, message.attempts, reason, Date.now());
      this.db.prepare('DELETE FROM queue_messages WHERE id = ?').run(message.id);
    })();
    countProcessed(message.queue, 'dead_letter');
  }
}
