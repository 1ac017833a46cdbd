import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { portableTypes } from '#platform';

export class CreateNews1732000007000 implements MigrationInterface {
  name = 'CreateNews1732000007000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = portableTypes(queryRunner);
    const now = t.isPostgres ? 'now()' : "(strftime('%Y-%m-%d %H:%M:%f', 'now'))";
    await queryRunner.createTable(
      new Table({
        name: 'news_articles',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'url', type: 'varchar', length: '2048' },
          { name: 'title', type: 'varchar', length: '512' },
          { name: 'snippet', type: 'text' },
          { name: 'source', type: 'varchar', length: '16' },
          { name: 'source_name', type: 'varchar', length: '255' },
          { name: 'source_icon_url', type: 'varchar', length: '2048', isNullable: true },
          { name: 'thumbnail_url', type: 'varchar', length: '2048', isNullable: true },
          { name: 'category', type: 'varchar', length: '16' },
          { name: 'keywords', type: t.json },
          { name: 'published_at', type: t.timestamp },
          { name: 'created_at', type: t.timestamp, default: now },
        ],
        uniques: [{ name: 'uq_news_articles_url', columnNames: ['url'] }],
        // Keyset pages walk (published_at DESC, id DESC), per category or across all of them.
        indices: [
          new TableIndex({ name: 'ix_news_articles_feed', columnNames: ['published_at', 'id'] }),
          new TableIndex({
            name: 'ix_news_articles_category_feed',
            columnNames: ['category', 'published_at', 'id'],
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'news_feed_states',
        columns: [
          { name: 'feed_url', type: 'varchar', length: '2048', isPrimary: true },
          { name: 'etag', type: 'varchar', length: '512', isNullable: true },
          { name: 'last_modified', type: 'varchar', length: '128', isNullable: true },
          { name: 'checked_at', type: t.timestamp },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('news_feed_states');
    await queryRunner.dropTable('news_articles');
  }
}
