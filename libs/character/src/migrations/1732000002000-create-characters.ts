import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { portableTypes, timestampColumns, uuidColumn, uuidPrimaryColumn } from '#platform';
import { loadCatalogData } from '../character-catalog-data.js';

export class CreateCharacters1732000002000 implements MigrationInterface {
  name = 'CreateCharacters1732000002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = portableTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'characters',
        columns: [
          uuidPrimaryColumn(t),
          { name: 'code', type: 'varchar', length: '64', isUnique: true },
          { name: 'name', type: 'varchar', length: '64' },
          { name: 'type_label', type: 'varchar', length: '255' },
          { name: 'dialog', type: 'varchar', length: '512' },
          { name: 'match_label', type: 'varchar', length: '64', isNullable: true },
          { name: 'cdn_code', type: 'varchar', length: '64', isNullable: true },
          { name: 'is_default', type: 'boolean', default: false },
          ...timestampColumns(t),
        ],
        indices: [new TableIndex({ name: 'ix_characters_match_label', columnNames: ['match_label'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'character_ownerships',
        columns: [
          uuidPrimaryColumn(t),
          uuidColumn(t, 'user_id'),
          uuidColumn(t, 'character_id'),
          { name: 'character_code', type: 'varchar', length: '64' },
          { name: 'source', type: 'varchar', length: '32' },
          { name: 'acquired_at', type: t.timestamp },
        ],
        uniques: [{ name: 'uq_character_ownerships_user_code', columnNames: ['user_id', 'character_code'] }],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
          new TableForeignKey({
            columnNames: ['character_id'],
            referencedTableName: 'characters',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
    // Seed: upsert by code, so re-running it (or a later data migration doing the same) changes nothing.
    const columns = ['id', 'code', 'name', 'type_label', 'dialog', 'match_label', 'cdn_code', 'is_default'];
    const placeholders = columns.map((_, i) => (t.isPostgres ? `$${i + 1}` : '?')).join(', ');
    const updates = columns
      .slice(2)
      .map((c) => `${c} = excluded.${c}`)
      .join(', ');
    for (const entry of loadCatalogData()) {
      await queryRunner.query(
        `INSERT INTO characters (${columns.join(', ')}) VALUES (${placeholders}) ON CONFLICT (code) DO UPDATE SET ${updates}`,
        [
          randomUUID(),
          entry.code,
          entry.name,
          entry.typeLabel,
          entry.dialog,
          entry.matchLabel,
          entry.cdnCode,
          t.isPostgres ? entry.isDefault : Number(entry.isDefault),
        ],
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('character_ownerships');
    await queryRunner.dropTable('characters');
  }
}
