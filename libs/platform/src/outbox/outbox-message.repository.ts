import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, LessThanOrEqual, type EntityManager, type Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { OutboxMessage } from './outbox-message.entity.js';

/** The only place that queries `outbox_messages`. */
@Injectable()
export class OutboxMessageRepository {
  constructor(@InjectRepository(OutboxMessage) private readonly messages: Repository<OutboxMessage>) {}

  async insert(manager: EntityManager, message: OutboxMessage): Promise<void> {
    // A JSON column: TypeORM's partial type would recurse into the body's own fields.
    await manager.getRepository(OutboxMessage).insert(message as QueryDeepPartialEntity<OutboxMessage>);
  }

  due(now: Date, limit: number): Promise<OutboxMessage[]> {
    return this.messages.find({
      where: { sentAt: IsNull(), nextAttemptAt: LessThanOrEqual(now) },
      order: { createdAt: 'ASC' },
      take: limit,
    });
  }

  /** Claims a due row for one publish attempt; false when another relay got it first. */
  async claim(message: OutboxMessage, leaseUntil: Date): Promise<boolean> {
    const result = await this.messages.update(
      { id: message.id, sentAt: IsNull(), nextAttemptAt: message.nextAttemptAt },
      { nextAttemptAt: leaseUntil, attempts: message.attempts + 1 },
    );
    return (result.affected ?? 0) > 0;
  }

  async markSent(id: string, now: Date): Promise<void> {
    await this.messages.update({ id }, { sentAt: now });
  }

  async defer(id: string, until: Date): Promise<void> {
    await this.messages.update({ id }, { nextAttemptAt: until });
  }
}
