import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { portableTypes } from '#platform';

/** When the pending sweep last looked for the upload's object: the sweep takes the least recently checked. */
export class AddUploadCheckedAt1732000004001 implements MigrationInterface {
  name = 'AddUploadCheckedAt1732000004001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = portableTypes(queryRunner);
    await queryRunner.addColumn(
      'image_uploads',
      new TableColumn({ name: 'checked_at', type: t.timestamp, isNullable: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('image_uploads', 'checked_at');
  }
}
