import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { JsonColumn, TimestampColumn } from '#platform';
import type { WeeklyHours } from './api/opening-hours.js';

/** A recycling site or zero-waste shop; upserted by (source, source_pk), retired rather than deleted. */
@Entity('location_sites')
export class RecyclingSite {
  /** Integer, because the app and the reference address sites by integer id. */
  @PrimaryGeneratedColumn('increment')
  id: number;

  @Column({ type: 'varchar', length: 16 })
  source: string;

  @Column({ name: 'source_pk', type: 'varchar', length: 64 })
  sourcePk: string;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  @Column({ type: 'varchar', length: 120, nullable: true })
  region: string | null;

  @Column({ name: 'road_address', type: 'varchar', length: 255, nullable: true })
  roadAddress: string | null;

  @Column({ name: 'lot_address', type: 'varchar', length: 255, nullable: true })
  lotAddress: string | null;

  @Column({ name: 'address_note', type: 'varchar', length: 512, nullable: true })
  addressNote: string | null;

  @Column({ type: 'double precision' })
  latitude: number;

  @Column({ type: 'double precision' })
  longitude: number;

  @Column({ type: 'text', nullable: true })
  introduction: string | null;

  @Column({ name: 'store_category', type: 'varchar', length: 32 })
  storeCategory: string;

  /** Comma list in the contract's order, e.g. `clear_pet,can`. */
  @Column({ name: 'pickup_categories', type: 'varchar', length: 255 })
  pickupCategories: string;

  @Column({ name: 'collection_items', type: 'text', nullable: true })
  collectionItems: string | null;

  @JsonColumn({ name: 'opening_hours' })
  openingHours: WeeklyHours;

  @Column({ type: 'varchar', length: 32, nullable: true })
  phone: string | null;

  @Column({ name: 'homepage_url', type: 'varchar', length: 512, nullable: true })
  homepageUrl: string | null;

  /** Name and addresses lowercased without whitespace, so search ignores spacing. */
  @Column({ name: 'search_text', type: 'text' })
  searchText: string;

  /** The dataset row as published, for fields we do not model yet. */
  @JsonColumn({ name: 'source_metadata' })
  sourceMetadata: Record<string, string>;

  /** Hash of the normalised record: an unchanged row in a re-import is not written at all. */
  @Column({ name: 'content_hash', type: 'varchar', length: 64 })
  contentHash: string;

  @TimestampColumn({ name: 'retired_at', nullable: true })
  retiredAt: Date | null;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;

  @TimestampColumn({ name: 'updated_at' })
  updatedAt: Date;
}
