import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { portableTypes, uuidColumn } from '../../database/columns.js';

/**
 * Which claim last took the row. The lease's end alone could not tell two relays apart when both
 * claimed in the same millisecond: each then found the rows under "its" lease and published them.
 */
export class AddOutboxClaimId1732000000001 implements MigrationInterface {
  name = 'AddOutboxClaimId1732000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'outbox_messages',
      new TableColumn(uuidColumn(portableTypes(queryRunner), 'claim_id', { isNullable: true })),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('outbox_messages', 'claim_id');
  }
}
