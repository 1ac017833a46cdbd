import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { portableTypes, uuidColumn } from '#platform';

/** The assistant's rolling summary of a long chat, and how far it reaches. */
export class AddChatSummary1732000008001 implements MigrationInterface {
  name = 'AddChatSummary1732000008001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = portableTypes(queryRunner);
    await queryRunner.addColumns('chat_conversations', [
      new TableColumn({ name: 'summary', type: 'text', isNullable: true }),
      new TableColumn({ name: 'summary_through_at', type: t.timestamp, isNullable: true }),
      new TableColumn(uuidColumn(t, 'summary_through_id', { isNullable: true })),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const column of ['summary_through_id', 'summary_through_at', 'summary']) {
      await queryRunner.dropColumn('chat_conversations', column);
    }
  }
}
