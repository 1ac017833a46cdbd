import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { portableTypes, timestampColumns, uuidColumn, uuidPrimaryColumn } from '#platform';

export class CreateChatTables1732000008000 implements MigrationInterface {
  name = 'CreateChatTables1732000008000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = portableTypes(queryRunner);
    const cascadeTo = (table: string, column: string): TableForeignKey =>
      new TableForeignKey({
        columnNames: [column],
        referencedTableName: table,
        referencedColumnNames: ['id'],
        onDelete: 'CASCADE',
      });
    await queryRunner.createTable(
      new Table({
        name: 'chat_conversations',
        columns: [
          uuidPrimaryColumn(t),
          uuidColumn(t, 'user_id'),
          { name: 'title', type: 'varchar', length: '200', isNullable: true },
          { name: 'preview', type: 'varchar', length: '200', isNullable: true },
          { name: 'message_count', type: 'integer', default: 0 },
          { name: 'last_message_at', type: t.timestamp, isNullable: true },
          { name: 'last_activity_at', type: t.timestamp },
          { name: 'deleted_at', type: t.timestamp, isNullable: true },
          ...timestampColumns(t),
        ],
        foreignKeys: [cascadeTo('users', 'user_id')],
        // The chat list: the user's chats most recent first, keyset on (last_activity_at, id).
        indices: [
          new TableIndex({
            name: 'ix_chat_conversations_user_activity',
            columnNames: ['user_id', 'last_activity_at', 'id'],
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'chat_messages',
        columns: [
          uuidPrimaryColumn(t),
          uuidColumn(t, 'conversation_id'),
          { name: 'role', type: 'varchar', length: '16' },
          { name: 'content', type: 'text' },
          { name: 'image_url', type: 'varchar', length: '2048', isNullable: true },
          { name: 'intent', type: 'varchar', length: '32', isNullable: true },
          uuidColumn(t, 'job_id', { isNullable: true }),
          { name: 'created_at', type: t.timestamp },
        ],
        foreignKeys: [cascadeTo('chat_conversations', 'conversation_id')],
        indices: [
          new TableIndex({
            name: 'ix_chat_messages_conversation_created',
            columnNames: ['conversation_id', 'created_at', 'id'],
          }),
          // One user and one assistant message per turn, however often the job is delivered.
          new TableIndex({
            name: 'ux_chat_messages_job_role',
            columnNames: ['job_id', 'role'],
            isUnique: true,
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'chat_jobs',
        columns: [
          uuidPrimaryColumn(t),
          uuidColumn(t, 'user_id'),
          uuidColumn(t, 'conversation_id'),
          uuidColumn(t, 'user_message_id'),
          uuidColumn(t, 'assistant_message_id', { isNullable: true }),
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'intent', type: 'varchar', length: '32', isNullable: true },
          { name: 'image_key', type: 'varchar', length: '255', isNullable: true },
          { name: 'user_location', type: t.json, isNullable: true },
          { name: 'requested_model', type: 'varchar', length: '64', isNullable: true },
          { name: 'error', type: t.json, isNullable: true },
          ...timestampColumns(t),
          { name: 'completed_at', type: t.timestamp, isNullable: true },
        ],
        foreignKeys: [cascadeTo('users', 'user_id'), cascadeTo('chat_conversations', 'conversation_id')],
        indices: [new TableIndex({ name: 'ix_chat_jobs_conversation', columnNames: ['conversation_id'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('chat_jobs');
    await queryRunner.dropTable('chat_messages');
    await queryRunner.dropTable('chat_conversations');
  }
}
