import { Column, Entity, PrimaryColumn } from 'typeorm';
import { JsonColumn, TimestampColumn } from '#platform';

export const NEWS_CATEGORIES = ['environment', 'energy', 'ai'] as const;
export type NewsCategory = (typeof NEWS_CATEGORIES)[number];

/** Where an article came from: a configured RSS/Atom feed, the Naver News API or NewsData.io. */
export const NEWS_SOURCES = ['rss', 'naver', 'newsdata'] as const;
export type NewsSource = (typeof NEWS_SOURCES)[number];

@Entity('news_articles')
export class NewsArticle {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  /** Unique: the same story reached through two feeds (or two collector replicas) is stored once. */
  @Column({ type: 'varchar', length: 2048, unique: true })
  url: string;

  @Column({ type: 'varchar', length: 512 })
  title: string;

  @Column({ type: 'text' })
  snippet: string;

  @Column({ type: 'varchar', length: 16 })
  source: NewsSource;

  @Column({ name: 'source_name', type: 'varchar', length: 255 })
  sourceName: string;

  @Column({ name: 'source_icon_url', type: 'varchar', length: 2048, nullable: true })
  sourceIconUrl: string | null;

  @Column({ name: 'thumbnail_url', type: 'varchar', length: 2048, nullable: true })
  thumbnailUrl: string | null;

  @Column({ type: 'varchar', length: 16 })
  category: NewsCategory;

  @JsonColumn()
  keywords: string[];

  @TimestampColumn({ name: 'published_at' })
  publishedAt: Date;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;
}
