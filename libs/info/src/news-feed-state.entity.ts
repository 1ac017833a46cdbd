import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '#platform';

/** Conditional-GET validators per feed URL, so an unchanged feed costs the publisher a 304. */
@Entity('news_feed_states')
export class NewsFeedState {
  @PrimaryColumn({ name: 'feed_url', type: 'varchar', length: 2048 })
  feedUrl: string;

  @Column({ type: 'varchar', length: 512, nullable: true })
  etag: string | null;

  @Column({ name: 'last_modified', type: 'varchar', length: 128, nullable: true })
  lastModified: string | null;

  @TimestampColumn({ name: 'checked_at' })
  checkedAt: Date;
}
