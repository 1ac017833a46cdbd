import { Logger } from '@nestjs/common';
import { connect, type AmqpConnectionManager, type ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel, ConsumeMessage, GetMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';
import {
  PermanentFailure,
  retryDelayMs,
  type ConsumeOptions,
  type MessageBus,
  type MessageHandler,
  type QueueName,
} from './message-bus.js';

export const DEAD_LETTER_EXCHANGE = 'eco2.dlx';
const PUBLISH_TIMEOUT_MS = 5000;
const ATTEMPT_HEADER = 'x-attempt';

export interface RabbitMqMessageBusOptions {
  url: string;
  maxAttempts: number;
  retryBaseMs: number;
  prefetch: number;
}

/**
 * Production adapter. Topology per queue Q: durable Q dead-lettering to `eco2.dlx` → `Q.dlq`, and one
 * delay queue per retry attempt (`Q.retry.<ms>`, queue-level TTL so short delays never wait behind
 * long ones) dead-lettering back to Q. Publishes are persistent and wait for the broker's confirm;
 * while the broker is down a publish rejects after a timeout instead of being silently dropped.
 */
export class RabbitMqMessageBus implements MessageBus {
  readonly kind = 'rabbitmq' as const;
  private readonly logger = new Logger('RabbitMqMessageBus');
  private readonly connection: AmqpConnectionManager;
  private readonly publisher: ChannelWrapper;
  private readonly consumers: ChannelWrapper[] = [];
  private readonly declared = new Set<QueueName>();
  private readonly inFlight = new Set<Promise<void>>();
  private draining = false;

  constructor(private readonly options: RabbitMqMessageBusOptions) {
    this.connection = connect([options.url], { heartbeatIntervalInSeconds: 10, reconnectTimeInSeconds: 1 });
    this.connection.on('disconnect', ({ err }) =>
      this.logger.warn({ err: err?.message }, 'broker connection lost'),
    );
    this.publisher = this.connection.createChannel({
      confirm: true,
      publishTimeout: PUBLISH_TIMEOUT_MS,
      setup: (channel: ConfirmChannel) => this.declareAll(channel),
    });
  }

  async publish(queue: QueueName, body: unknown, options: { messageId?: string } = {}): Promise<void> {
    await this.ensureDeclared(queue);
    await this.publisher.publish('', queue, Buffer.from(JSON.stringify(body)), {
      persistent: true,
      contentType: 'application/json',
      messageId: options.messageId ?? randomUUID(),
      headers: { [ATTEMPT_HEADER]: 1 },
      timeout: PUBLISH_TIMEOUT_MS,
    });
  }

  async consume<T>(
    queue: QueueName,
    handler: MessageHandler<T>,
    options: ConsumeOptions = {},
  ): Promise<void> {
    await this.ensureDeclared(queue);
    const prefetch = options.concurrency ?? this.options.prefetch;
    const channel = this.connection.createChannel({
      confirm: true,
      setup: async (ch: ConfirmChannel) => {
        await this.declare(ch, queue);
        await ch.prefetch(prefetch);
        await ch.consume(queue, (raw) => raw && this.track(this.deliver(ch, raw, handler)), { noAck: false });
      },
    });
    this.consumers.push(channel);
    await channel.waitForConnect();
  }

  async drain(): Promise<void> {
    this.draining = true;
    await Promise.allSettled(this.consumers.map((c) => c.cancelAll()));
    await Promise.allSettled([...this.inFlight]);
  }

  async deadLetters(queue: QueueName): Promise<unknown[]> {
    await this.ensureDeclared(queue);
    const bodies: unknown[] = [];
    await this.publisher.addSetup(async (channel: ConfirmChannel) => {
      const taken: GetMessage[] = [];
      for (;;) {
        const message = await channel.get(`${queue}.dlq`, { noAck: false });
        if (!message) break;
        taken.push(message);
        bodies.push(JSON.parse(message.content.toString()));
      }
      // Reading must not consume the dead letters: put them back for operators.
      for (const message of taken) channel.nack(message, false, true);
    });
    return bodies;
  }

  async ping(): Promise<void> {
    if (!this.connection.isConnected()) throw new Error('not connected to the broker');
  }

  async close(): Promise<void> {
    await this.drain();
    await Promise.allSettled([...this.consumers.map((c) => c.close()), this.publisher.close()]);
    await this.connection.close();
  }

  private track(run: Promise<void>): void {
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
  }

  private async deliver<T>(
    channel: ConfirmChannel,
    raw: ConsumeMessage,
    handler: MessageHandler<T>,
  ): Promise<void> {
    const queue = raw.fields.routingKey as QueueName;
    const attempt = Number(raw.properties.headers?.[ATTEMPT_HEADER] ?? 1);
    const messageId = String(raw.properties.messageId ?? randomUUID());
    let body: T;
    try {
      body = JSON.parse(raw.content.toString()) as T;
    } catch {
      channel.nack(raw, false, false);
      return;
    }
    try {
      await handler({ id: messageId, queue, body, attempt });
      channel.ack(raw);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (error instanceof PermanentFailure || attempt >= this.options.maxAttempts) {
        this.logger.warn({ queue, messageId, attempt, reason }, 'message dead-lettered');
        channel.nack(raw, false, false);
        return;
      }
      try {
        const delay = retryDelayMs(this.options.retryBaseMs, attempt);
        await this.publisher.publish('', `${queue}.retry.${delay}`, raw.content, {
          persistent: true,
          contentType: 'application/json',
          messageId,
          headers: { ...raw.properties.headers, [ATTEMPT_HEADER]: attempt + 1 },
          timeout: PUBLISH_TIMEOUT_MS,
        });
        channel.ack(raw);
      } catch {
        // Could not schedule the retry: hand the message back to the broker rather than lose it.
        channel.nack(raw, false, true);
      }
    }
  }

  private async ensureDeclared(queue: QueueName): Promise<void> {
    if (this.declared.has(queue)) return;
    this.declared.add(queue);
    await this.publisher.addSetup((channel: ConfirmChannel) => this.declare(channel, queue));
  }

  private async declareAll(channel: ConfirmChannel): Promise<void> {
    for (const queue of this.declared) await this.declare(channel, queue);
  }

  private async declare(channel: ConfirmChannel, queue: QueueName): Promise<void> {
    await channel.assertExchange(DEAD_LETTER_EXCHANGE, 'direct', { durable: true });
    await channel.assertQueue(queue, {
      durable: true,
      deadLetterExchange: DEAD_LETTER_EXCHANGE,
      deadLetterRoutingKey: queue,
    });
    await channel.assertQueue(`${queue}.dlq`, { durable: true });
    await channel.bindQueue(`${queue}.dlq`, DEAD_LETTER_EXCHANGE, queue);
    for (let attempt = 1; attempt < this.options.maxAttempts; attempt++) {
      const delay = retryDelayMs(this.options.retryBaseMs, attempt);
      await channel.assertQueue(`${queue}.retry.${delay}`, {
        durable: true,
        messageTtl: delay,
        deadLetterExchange: '',
        deadLetterRoutingKey: queue,
      });
    }
  }
}
