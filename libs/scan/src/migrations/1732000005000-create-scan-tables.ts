import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { portableTypes, timestampColumns, uuidColumn, uuidPrimaryColumn } from '#platform';

export class CreateScanTables1732000005000 implements MigrationInterface {
  name = 'CreateScanTables1732000005000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = portableTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'scan_jobs',
        columns: [
          uuidPrimaryColumn(t),
          uuidColumn(t, 'user_id'),
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'image_key', type: 'varchar', length: '255' },
          { name: 'image_url', type: 'varchar', length: '2048' },
          { name: 'user_input', type: 'text', isNullable: true },
          { name: 'requested_model', type: 'varchar', length: '64', isNullable: true },
          { name: 'pipeline_result', type: t.json, isNullable: true },
          { name: 'reward', type: t.json, isNullable: true },
          { name: 'error', type: t.json, isNullable: true },
          { name: 'provider', type: 'varchar', length: '16', isNullable: true },
          { name: 'latency_ms', type: 'integer', isNullable: true },
          ...timestampColumns(t),
          { name: 'completed_at', type: t.timestamp, isNullable: true },
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
        indices: [
          // Scan history: the user's jobs newest first, keyset on (created_at, id).
          new TableIndex({ name: 'ix_scan_jobs_user_created', columnNames: ['user_id', 'created_at', 'id'] }),
          new TableIndex({ name: 'ix_scan_jobs_status', columnNames: ['status'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('scan_jobs');
  }
}
