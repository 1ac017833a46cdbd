import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { portableTypes, timestampColumns, uuidColumn, uuidPrimaryColumn } from '#platform';

export class CreateImageUploads1732000004000 implements MigrationInterface {
  name = 'CreateImageUploads1732000004000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = portableTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'image_uploads',
        columns: [
          uuidPrimaryColumn(t),
          uuidColumn(t, 'user_id'),
          { name: 'channel', type: 'varchar', length: '16' },
          { name: 'staging_key', type: 'varchar', length: '255', isUnique: true },
          { name: 'public_key', type: 'varchar', length: '255', isUnique: true },
          { name: 'thumbnail_key', type: 'varchar', length: '255' },
          { name: 'original_filename', type: 'varchar', length: '255' },
          { name: 'declared_content_type', type: 'varchar', length: '64' },
          { name: 'declared_size', type: 'integer', isNullable: true },
          { name: 'status', type: 'varchar', length: '16', default: "'pending'" },
          { name: 'detected_format', type: 'varchar', length: '16', isNullable: true },
          { name: 'size', type: 'integer', isNullable: true },
          { name: 'width', type: 'integer', isNullable: true },
          { name: 'height', type: 'integer', isNullable: true },
          { name: 'rejection_reason', type: 'varchar', length: '255', isNullable: true },
          { name: 'queued_at', type: t.timestamp, isNullable: true },
          { name: 'processed_at', type: t.timestamp, isNullable: true },
          { name: 'used_at', type: t.timestamp, isNullable: true },
          { name: 'deleted_at', type: t.timestamp, isNullable: true },
          ...timestampColumns(t),
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
          new TableIndex({ name: 'ix_image_uploads_user', columnNames: ['user_id'] }),
          // Both sweeps (pending uploads to process, unused uploads to delete) scan by status and age.
          new TableIndex({ name: 'ix_image_uploads_status_created', columnNames: ['status', 'created_at'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('image_uploads');
  }
}
