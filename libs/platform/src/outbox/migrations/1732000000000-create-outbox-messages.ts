import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { portableTypes, uuidPrimaryColumn } from '../../database/columns.js';

export class CreateOutboxMessages1732000000000 implements MigrationInterface {
  name = 'CreateOutboxMessages1732000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = portableTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'outbox_messages',
        columns: [
          uuidPrimaryColumn(t),
          { name: 'queue', type: 'varchar', length: '64' },
          { name: 'body', type: t.json },
          { name: 'attempts', type: 'integer', default: 0 },
          { name: 'next_attempt_at', type: t.timestamp },
          { name: 'sent_at', type: t.timestamp, isNullable: true },
          { name: 'created_at', type: t.timestamp },
        ],
        indices: [
          new TableIndex({ name: 'ix_outbox_messages_pending', columnNames: ['sent_at', 'next_attempt_at'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('outbox_messages');
  }
}
