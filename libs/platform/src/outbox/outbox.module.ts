import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboxMessage } from './outbox-message.entity.js';
import { OutboxMessageRepository } from './outbox-message.repository.js';
import { OutboxRelay } from './outbox-relay.js';
import { Outbox } from './outbox.js';

/**
 * Imported by every feature that publishes through the outbox. A static module is instantiated once
 * per process however many features import it, so a process running several of them runs one relay,
 * which publishes every queue's rows.
 */
@Module({
  imports: [TypeOrmModule.forFeature([OutboxMessage])],
  providers: [OutboxMessageRepository, OutboxRelay, Outbox],
  exports: [Outbox],
})
export class OutboxModule {}
