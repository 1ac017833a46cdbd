import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { portableTypes, timestampColumns, uuidColumn, uuidPrimaryColumn } from '#platform';

export class CreateTokenFamiliesAndLoginAudits1732000001001 implements MigrationInterface {
  name = 'CreateTokenFamiliesAndLoginAudits1732000001001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = portableTypes(queryRunner);
    const userForeignKey = (): TableForeignKey =>
      new TableForeignKey({
        columnNames: ['user_id'],
        referencedTableName: 'users',
        referencedColumnNames: ['id'],
        onDelete: 'CASCADE',
      });
    await queryRunner.createTable(
      new Table({
        name: 'refresh_token_families',
        columns: [
          uuidPrimaryColumn(t),
          uuidColumn(t, 'user_id'),
          { name: 'provider', type: 'varchar', length: '16' },
          { name: 'current_refresh_jti', type: 'varchar', length: '64' },
          { name: 'current_access_jti', type: 'varchar', length: '64' },
          { name: 'access_expires_at', type: t.timestamp },
          { name: 'expires_at', type: t.timestamp },
          { name: 'revoked_at', type: t.timestamp, isNullable: true },
          { name: 'device_id', type: 'varchar', length: '120', isNullable: true },
          ...timestampColumns(t),
        ],
        foreignKeys: [userForeignKey()],
        indices: [new TableIndex({ name: 'ix_refresh_token_families_user', columnNames: ['user_id'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'login_audits',
        columns: [
          uuidPrimaryColumn(t),
          uuidColumn(t, 'user_id'),
          { name: 'provider', type: 'varchar', length: '16' },
          { name: 'access_jti', type: 'varchar', length: '64' },
          { name: 'login_ip', type: 'varchar', length: '64', isNullable: true },
          { name: 'user_agent', type: 'varchar', length: '512', isNullable: true },
          { name: 'issued_at', type: t.timestamp },
        ],
        foreignKeys: [userForeignKey()],
        indices: [new TableIndex({ name: 'ix_login_audits_user', columnNames: ['user_id'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('login_audits');
    await queryRunner.dropTable('refresh_token_families');
  }
}
