import { Logger } from '@nestjs/common';
import { connect, type AmqpConnectionManager, type ChannelWrapper } from 'amqp-connection-manager';
import type { Channel, ConfirmChannel, ConsumeMessage, GetMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';
import {
  PermanentFailure,
  PublishFailed,
  retryDelayMs,
  type ConsumeOptions,
  type MessageBus,
  type MessageHandler,
  type QueueName,
} from './message-bus.js';
import { countProcessed } from './queue-metrics.js';

export const DEAD_LETTER_EXCHANGE = 'eco2.dlx';
const PUBLISH_TIMEOUT_MS = 5000;
const ATTEMPT_HEADER = 'x-attempt';
/** Below the readiness probe's 2 s timeout, so a broker that is down reads as down, not as a timeout. */
const INITIAL_CONNECT_WAIT_MS = 1500;

export interface RabbitMqMessageBusOptions {
  url: string;
  maxAttempts: number;
  retryBaseMs: number;
  prefetch: number;
  /** How long a publish waits for the broker's confirm (also while disconnected) before rejecting. */
  publishTimeoutMs?: number;
}

/** One `consume()` call: the raw channel and consumer tag of its current incarnation (they change on reconnect). */
interface Consumer {
  wrapper: ChannelWrapper;
  channel?: Channel;
  tag?: string;
}

/** The message's own headers, without the broker's dead-letter bookkeeping (`x-death`, `x-first-death-*`). */
function ownHeaders(raw: ConsumeMessage): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(raw.properties.headers ?? {}).filter(
      ([name]) => name !== 'x-death' && !name.startsWith('x-first-death') && !name.startsWith('x-last-death'),
    ),
  );
}

export { PublishFailed };

/**
 * Production adapter. Topology per queue Q: durable Q dead-lettering to `eco2.dlx` → `Q.dlq`, and one
 * delay queue per retry attempt (`Q.retry.<ms>`, queue-level TTL so short delays never wait behind
 * long ones) dead-lettering back to Q. Publishes are persistent and wait for the broker's confirm;
 * while the broker is down a publish is held in memory until the publish timeout, then rejects —
 * never silently dropped. Deliveries are acked or nacked on the very channel that delivered them.
 */
export class RabbitMqMessageBus implements MessageBus {
  readonly kind = 'rabbitmq' as const;
  private readonly logger = new Logger('RabbitMqMessageBus');
  private readonly connection: AmqpConnectionManager;
  private readonly publisher: ChannelWrapper;
  private readonly consumers: Consumer[] = [];
  private readonly declared = new Map<QueueName, Promise<void>>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly publishTimeoutMs: number;
  private draining = false;
  private everConnected = false;

  constructor(private readonly options: RabbitMqMessageBusOptions) {
    this.publishTimeoutMs = options.publishTimeoutMs ?? PUBLISH_TIMEOUT_MS;
    this.connection = connect([options.url], { heartbeatIntervalInSeconds: 10, reconnectTimeInSeconds: 1 });
    this.connection.on('connect', () => (this.everConnected = true));
    this.connection.on('disconnect', ({ err }) =>
      this.logger.warn({ err: err?.message }, 'broker connection lost'),
    );
    // Without listeners, a failing setup (e.g. a precondition on an existing queue) would be an unhandled 'error'.
    this.publisher = this.connection.createChannel({ confirm: true, publishTimeout: this.publishTimeoutMs });
    this.publisher.on('error', (err: Error) =>
      this.logger.error({ err: err.message }, 'publisher channel error'),
    );
  }

  async publish(queue: QueueName, body: unknown, options: { messageId?: string } = {}): Promise<void> {
    await this.ensureDeclared(queue);
    await this.send(queue, Buffer.from(JSON.stringify(body)), options.messageId ?? randomUUID(), 1);
  }

  async consume<T>(
    queue: QueueName,
    handler: MessageHandler<T>,
    options: ConsumeOptions = {},
  ): Promise<void> {
    if (this.draining) throw new Error('the message bus is draining: no new consumers');
    await this.ensureDeclared(queue);
    const prefetch = Math.max(1, options.concurrency ?? this.options.prefetch);
    const consumer: Consumer = {
      // Re-run on every reconnect: declare, set the prefetch, consume on the fresh channel.
      wrapper: this.connection.createChannel({
        setup: async (channel: Channel) => {
          await this.declare(channel, queue);
          if (this.draining) return;
          await channel.prefetch(prefetch);
          const { consumerTag } = await channel.consume(
            queue,
            (raw) => raw && this.track(this.deliver(channel, queue, raw, handler)),
            { noAck: false },
          );
          consumer.channel = channel;
          consumer.tag = consumerTag;
        },
      }),
    };
    consumer.wrapper.on('error', (err: Error) =>
      this.logger.error({ queue, err: err.message }, 'consumer channel error'),
    );
    this.consumers.push(consumer);
    // Waits for the consumer when the broker is up; while it is down the consumer starts on reconnect.
    if (this.connection.isConnected()) await consumer.wrapper.waitForConnect();
  }

  async drain(): Promise<void> {
    this.draining = true;
    await Promise.allSettled(
      this.consumers.map(async (consumer) => {
        if (consumer.channel && consumer.tag) await consumer.channel.cancel(consumer.tag);
      }),
    );
    // Deliveries already on their way are nacked back (draining), so the in-flight set only shrinks.
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  async deadLetters(queue: QueueName): Promise<unknown[]> {
    await this.ensureDeclared(queue);
    const connection = this.connection.connection;
    if (!connection) throw new Error('not connected to the broker');
    // A private channel: closing it hands every message we read back to the DLQ, untouched.
    const channel = await connection.createChannel();
    try {
      const bodies: unknown[] = [];
      for (;;) {
        const message: GetMessage | false = await channel.get(`${queue}.dlq`, { noAck: false });
        if (!message) break;
        const text = message.content.toString();
        try {
          bodies.push(JSON.parse(text));
        } catch {
          bodies.push(text);
        }
      }
      return bodies;
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  /** Resolves while connected. Only the very first connection is waited for (briefly), never a reconnect. */
  async ping(): Promise<void> {
    if (this.connection.isConnected()) return;
    if (!this.everConnected) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          this.connection.off('connect', done);
          resolve();
        };
        const timer = setTimeout(done, INITIAL_CONNECT_WAIT_MS);
        this.connection.once('connect', done);
      });
      if (this.connection.isConnected()) return;
    }
    throw new Error('not connected to the broker');
  }

  async close(): Promise<void> {
    await this.drain();
    await Promise.allSettled([...this.consumers.map((c) => c.wrapper.close()), this.publisher.close()]);
    await this.connection.close();
  }

  private async send(
    queue: string,
    content: Buffer,
    messageId: string,
    attempt: number,
    headers: Record<string, unknown> = {},
  ): Promise<void> {
    try {
      await this.publisher.publish('', queue, content, {
        persistent: true,
        contentType: 'application/json',
        messageId,
        headers: { ...headers, [ATTEMPT_HEADER]: attempt },
        timeout: this.publishTimeoutMs,
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new PublishFailed(
        `publish to ${queue} not confirmed by the broker within ${this.publishTimeoutMs} ms (${reason})`,
      );
    }
  }

  private track(run: Promise<void>): void {
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
  }

  /** Never rejects: every path ends in an ack or a nack (or the channel is gone and the broker redelivers). */
  private async deliver<T>(
    channel: Channel,
    queue: QueueName,
    raw: ConsumeMessage,
    handler: MessageHandler<T>,
  ): Promise<void> {
    const settle = (action: 'ack' | 'dead-letter' | 'requeue'): boolean => {
      try {
        if (action === 'ack') channel.ack(raw);
        else channel.nack(raw, false, action === 'requeue');
        return true;
      } catch (error) {
        // The delivering channel closed: the broker requeues the message by itself.
        this.logger.warn({ queue, err: (error as Error).message }, 'channel closed before settling');
        return false;
      }
    };
    if (this.draining) {
      settle('requeue');
      return;
    }
    const attempt = Number(raw.properties.headers?.[ATTEMPT_HEADER] ?? 1);
    const messageId = String(raw.properties.messageId ?? randomUUID());
    let body: T;
    try {
      body = JSON.parse(raw.content.toString()) as T;
    } catch {
      this.logger.warn({ queue, messageId }, 'message dead-lettered: body is not JSON');
      if (settle('dead-letter')) countProcessed(queue, 'dead_letter');
      return;
    }
    try {
      await handler({ id: messageId, queue, body, attempt });
      if (settle('ack')) countProcessed(queue, 'ack');
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (error instanceof PermanentFailure || attempt >= this.options.maxAttempts) {
        this.logger.warn({ queue, messageId, attempt, reason }, 'message dead-lettered');
        if (settle('dead-letter')) countProcessed(queue, 'dead_letter');
        return;
      }
      try {
        const delay = retryDelayMs(this.options.retryBaseMs, attempt);
        await this.send(`${queue}.retry.${delay}`, raw.content, messageId, attempt + 1, ownHeaders(raw));
        if (settle('ack')) countProcessed(queue, 'retry');
      } catch {
        // Could not schedule the retry: hand the message back to the broker rather than lose it.
        settle('requeue');
      }
    }
  }

  private ensureDeclared(queue: QueueName): Promise<void> {
    let declared = this.declared.get(queue);
    if (!declared) {
      // One declaration per queue, shared by concurrent callers so none publishes before the queue
      // exists (an unroutable publish would be confirmed and silently dropped). The setup stays
      // registered and runs again on every reconnect.
      declared = this.publisher
        .addSetup((channel: ConfirmChannel) => this.declare(channel, queue))
        .catch((error: unknown) => {
          this.declared.delete(queue);
          throw error;
        });
      this.declared.set(queue, declared);
    }
    return declared;
  }

  private async declare(channel: Channel, queue: QueueName): Promise<void> {
    const topology = rabbitMqTopology([queue], this.options);
    for (const exchange of topology.exchanges)
      await channel.assertExchange(exchange.name, exchange.type, { durable: true });
    for (const declared of topology.queues)
      await channel.assertQueue(declared.name, { durable: true, arguments: declared.arguments });
    for (const binding of topology.bindings)
      await channel.bindQueue(binding.destination, binding.source, binding.routing_key);
  }
}

export interface RabbitMqTopology {
  exchanges: { name: string; type: 'direct' }[];
  queues: { name: string; arguments: Record<string, string | number> }[];
  bindings: { source: string; destination: string; routing_key: string }[];
}

/**
 * Everything the bus declares for its queues. The broker's pre-loaded definitions (k8s) are generated
 * from this too, so the arguments always match (RabbitMQ refuses a redeclaration with other arguments).
 */
export function rabbitMqTopology(
  queues: readonly string[],
  options: { maxAttempts: number; retryBaseMs: number },
): RabbitMqTopology {
  const topology: RabbitMqTopology = {
    exchanges: [{ name: DEAD_LETTER_EXCHANGE, type: 'direct' }],
    queues: [],
    bindings: [],
  };
  for (const queue of queues) {
    topology.queues.push({
      name: queue,
      arguments: { 'x-dead-letter-exchange': DEAD_LETTER_EXCHANGE, 'x-dead-letter-routing-key': queue },
    });
    topology.queues.push({ name: `${queue}.dlq`, arguments: {} });
    topology.bindings.push({ source: DEAD_LETTER_EXCHANGE, destination: `${queue}.dlq`, routing_key: queue });
    for (let attempt = 1; attempt < options.maxAttempts; attempt++) {
      const delay = retryDelayMs(options.retryBaseMs, attempt);
      topology.queues.push({
        name: `${queue}.retry.${delay}`,
        arguments: {
          'x-message-ttl': delay,
          'x-dead-letter-exchange': '',
          'x-dead-letter-routing-key': queue,
        },
      });
    }
  }
  return topology;
}
