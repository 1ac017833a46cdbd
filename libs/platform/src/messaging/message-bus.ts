/** Queues every deployment agrees on (see docs/CONVENTIONS.md). */
export const QUEUES = ['scan.requested', 'chat.requested', 'image.uploaded', 'image.delete'] as const;
export type QueueName = (typeof QUEUES)[number] | `test.${string}`;

export interface QueueMessage<T = unknown> {
  id: string;
  queue: QueueName;
  body: T;
  /** 1 on first delivery. */
  attempt: number;
}

/** Thrown by a handler when retrying cannot help: the message goes straight to the dead-letter queue. */
export class PermanentFailure extends Error {}

/**
 * A publish the broker did not confirm within the publish timeout (e.g. it is down). The message was
 * not stored: the caller must keep it (an outbox row) and publish again later.
 */
export class PublishFailed extends Error {}

export type MessageHandler<T = unknown> = (message: QueueMessage<T>) => Promise<void>;

export interface ConsumeOptions {
  /** Messages handled concurrently by this consumer (RabbitMQ prefetch). */
  concurrency?: number;
}

/**
 * Messaging port with at-least-once delivery. A handler that resolves acks; one that throws is retried
 * with exponential backoff up to QUEUE_MAX_ATTEMPTS deliveries, then dead-lettered; an unacked message
 * of a dead consumer is redelivered. Handlers must therefore be idempotent.
 */
export interface MessageBus {
  readonly kind: 'sqlite' | 'rabbitmq';
  /**
   * Resolves once the message is durably stored (SQLite commit / broker confirm); rejects otherwise —
   * with PublishFailed when the broker did not confirm within the publish timeout. Never drops silently.
   */
  publish(queue: QueueName, body: unknown, options?: { messageId?: string }): Promise<void>;
  consume<T>(queue: QueueName, handler: MessageHandler<T>, options?: ConsumeOptions): Promise<void>;
  /** Stops taking new deliveries and waits until every in-flight message is acked or nacked. */
  drain(): Promise<void>;
  /** Bodies currently in the dead-letter queue of `queue` (operations and tests). */
  deadLetters(queue: QueueName): Promise<unknown[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const MESSAGE_BUS = Symbol('MessageBus');

export function retryDelayMs(baseMs: number, attempt: number): number {
  return baseMs * 2 ** Math.max(0, attempt - 1);
}
