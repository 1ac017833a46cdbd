import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, LessThanOrEqual, type EntityManager, type Repository } from 'typeorm';
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

  /**
   * Claims due rows for one publish attempt each, in one UPDATE; answers the rows claimed here (another
   * relay may have taken some of them since they were read). Each claim carries its own id: two
   * relays may well compute the same lease end.
   */
  async claim(due: readonly OutboxMessage[], now: Date, leaseUntil: Date): Promise<OutboxMessage[]> {
    const ids = due.map((message) => message.id);
    const claimId = randomUUID();
    const result = await this.messages.update(
      { id: In(ids), sentAt: IsNull(), nextAttemptAt: LessThanOrEqual(now) },
      { nextAttemptAt: leaseUntil, claimId, attempts: () => 'attempts + 1' },
    );
    if (result.affected === due.length) return [...due];
    const ours = await this.messages.find({ select: { id: true }, where: { id: In(ids), claimId } });
    const claimed = new Set(ours.map((row) => row.id));
    return due.filter((message) => claimed.has(message.id));
  }

  async markSent(ids: readonly string[], now: Date): Promise<void> {
    if (ids.length > 0) await this.messages.update({ id: In([...ids]) }, { sentAt: now });
  }

  async defer(ids: readonly string[], until: Date): Promise<void> {
    await this.messages.update({ id: In([...ids]) }, { nextAttemptAt: until });
  }
}
