import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Clock } from '../clock/clock.js';
import type { QueueName } from '../messaging/message-bus.js';
import { OutboxMessage } from './outbox-message.entity.js';
import { OutboxMessageRepository } from './outbox-message.repository.js';
import { OutboxRelay } from './outbox-relay.js';

/**
 * The one way to publish a message that must not be lost once a change is committed: `add` it inside
 * the change's `Transactions.run`, then `wake` the relay after the commit (otherwise it is published
 * at the next poll).
 */
@Injectable()
export class Outbox {
  constructor(
    private readonly messages: OutboxMessageRepository,
    private readonly relay: OutboxRelay,
    private readonly clock: Clock,
  ) {}

  async add(manager: EntityManager, queue: QueueName, body: unknown): Promise<void> {
    const now = this.clock.now();
    const message = Object.assign(new OutboxMessage(), {
      id: randomUUID(),
      queue,
      body,
      attempts: 0,
      nextAttemptAt: now,
      claimId: null,
      sentAt: null,
      createdAt: now,
    } satisfies OutboxMessage);
    await this.messages.insert(manager, message);
  }

  wake(): void {
    this.relay.wake();
  }
}
