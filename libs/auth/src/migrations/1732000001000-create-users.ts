import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { portableTypes, timestampColumns, uuidColumn, uuidPrimaryColumn } from '#platform';

export class CreateUsers1732000001000 implements MigrationInterface {
  name = 'CreateUsers1732000001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = portableTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          uuidPrimaryColumn(t),
          { name: 'username', type: 'varchar', length: '120' },
          { name: 'nickname', type: 'varchar', length: '120', isNullable: true },
          { name: 'email', type: 'varchar', length: '320', isNullable: true },
          { name: 'phone_number', type: 'varchar', length: '20', isNullable: true, isUnique: true },
          { name: 'profile_image_url', type: 'varchar', length: '512', isNullable: true },
          { name: 'last_login_at', type: t.timestamp, isNullable: true },
          ...timestampColumns(t),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'social_accounts',
        columns: [
          uuidPrimaryColumn(t),
          uuidColumn(t, 'user_id'),
          { name: 'provider', type: 'varchar', length: '16' },
          { name: 'provider_user_id', type: 'varchar', length: '255' },
          { name: 'email', type: 'varchar', length: '320', isNullable: true },
          { name: 'last_login_at', type: t.timestamp, isNullable: true },
          ...timestampColumns(t),
        ],
        uniques: [
          { name: 'uq_social_accounts_provider_user', columnNames: ['provider', 'provider_user_id'] },
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
        indices: [new TableIndex({ name: 'ix_social_accounts_user', columnNames: ['user_id'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('social_accounts');
    await queryRunner.dropTable('users');
  }
}
