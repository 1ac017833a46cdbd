import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, type EntityManager, type Repository } from 'typeorm';
import { RecyclingSite } from './recycling-site.entity.js';
import { SiteImport } from './site-import.entity.js';

/** What a list entry needs of a site: everything but the long texts and the raw source row. */
export type SiteSummary = Pick<
  RecyclingSite,
  | 'id'
  | 'name'
  | 'source'
  | 'roadAddress'
  | 'latitude'
  | 'longitude'
  | 'storeCategory'
  | 'pickupCategories'
  | 'openingHours'
  | 'phone'
  | 'homepageUrl'
>;

export const SUMMARY_COLUMNS: readonly (keyof SiteSummary)[] = [
  'id',
  'name',
  'source',
  'roadAddress',
  'latitude',
  'longitude',
  'storeCategory',
  'pickupCategories',
  'openingHours',
  'phone',
  'homepageUrl',
];

const SUMMARY_SELECT = Object.fromEntries(SUMMARY_COLUMNS.map((column) => [column, true])) as {
  [column in keyof SiteSummary]: true;
};

/** A stored site as an import compares it: its key, id, hash and whether it is retired. */
export interface StoredSiteKey {
  id: number;
  sourcePk: string;
  contentHash: string;
  retired: boolean;
  latitude: number;
  longitude: number;
}

export type NewSite = Omit<RecyclingSite, 'id' | 'createdAt' | 'updatedAt' | 'retiredAt'>;

// Any constant: the same in every pod, so two imports (boot and command) never interleave.
const IMPORT_LOCK_ID = 0x0ec06;
const INSERT_CHUNK = 200;

/** The only place that queries the location tables (the PostgreSQL spatial index aside). */
@Injectable()
export class RecyclingSiteRepository {
  constructor(
    @InjectRepository(RecyclingSite) private readonly sites: Repository<RecyclingSite>,
    @InjectRepository(SiteImport) private readonly imports: Repository<SiteImport>,
  ) {}

  get isPostgres(): boolean {
    return this.sites.manager.connection.options.type === 'postgres';
  }

  findActiveById(id: number): Promise<RecyclingSite | null> {
    return this.sites.findOneBy({ id, retiredAt: IsNull() });
  }

  findActiveSummaries(): Promise<SiteSummary[]> {
    return this.sites.find({ select: SUMMARY_SELECT, where: { retiredAt: IsNull() } });
  }

  /** Active sites whose name or address contains `key` (already lowercased and without whitespace). */
  findActiveBySearchKey(key: string, limit: number): Promise<(SiteSummary & { searchText: string })[]> {
    const pattern = `%${key.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return this.sites
      .createQueryBuilder('site')
      .select([...SUMMARY_COLUMNS, 'searchText'].map((c) => `site.${c}`))
      .where('site.retired_at IS NULL')
      .andWhere("site.search_text LIKE :pattern ESCAPE '\\'", { pattern })
      .orderBy('site.id', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** What each of these sites collects (the source's free text), by id. */
  async collectionItemsOf(ids: readonly number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.sites.find({
      select: { id: true, collectionItems: true },
      where: { id: In([...ids]) },
    });
    return new Map(rows.map((row) => [row.id, row.collectionItems ?? '']));
  }

  async latestImportId(): Promise<number> {
    const latest = await this.imports.find({ select: { id: true }, order: { id: 'DESC' }, take: 1 });
    return latest[0]?.id ?? 0;
  }

  async hasImported(fileHash: string, manager?: EntityManager): Promise<boolean> {
    const repository = manager ? manager.getRepository(SiteImport) : this.imports;
    return (await repository.countBy({ fileHash })) > 0;
  }

  /** Serialises imports across pods for the rest of the transaction (PostgreSQL; SQLite has one writer). */
  async lockImports(manager: EntityManager): Promise<void> {
    if (this.isPostgres) await manager.query('SELECT pg_advisory_xact_lock($1)', [IMPORT_LOCK_ID]);
  }

  async storedKeys(manager: EntityManager, source: string): Promise<StoredSiteKey[]> {
    const rows = await manager.getRepository(RecyclingSite).find({
      select: {
        id: true,
        sourcePk: true,
        contentHash: true,
        retiredAt: true,
        latitude: true,
        longitude: true,
      },
      where: { source },
    });
    return rows.map((r) => ({
      id: r.id,
      sourcePk: r.sourcePk,
      contentHash: r.contentHash,
      retired: r.retiredAt !== null,
      latitude: r.latitude,
      longitude: r.longitude,
    }));
  }

  /** Timestamps are given explicitly: SQLite has no DEFAULT inside a multi-row VALUES list. */
  async insert(manager: EntityManager, sites: NewSite[], at: Date): Promise<void> {
    for (let i = 0; i < sites.length; i += INSERT_CHUNK) {
      await manager
        .createQueryBuilder()
        .insert()
        .into(RecyclingSite)
        .values(sites.slice(i, i + INSERT_CHUNK).map((site) => ({ ...site, createdAt: at, updatedAt: at })))
        .updateEntity(false)
        .execute();
    }
  }

  /** Replaces a site's content and brings it back if it had been retired. */
  async replace(manager: EntityManager, id: number, site: NewSite, at: Date): Promise<void> {
    await manager.getRepository(RecyclingSite).update({ id }, { ...site, retiredAt: null, updatedAt: at });
  }

  async retire(manager: EntityManager, ids: number[], at: Date): Promise<void> {
    for (let i = 0; i < ids.length; i += INSERT_CHUNK) {
      await manager
        .getRepository(RecyclingSite)
        .createQueryBuilder()
        .update()
        .set({ retiredAt: at, updatedAt: at })
        .whereInIds(ids.slice(i, i + INSERT_CHUNK))
        .execute();
    }
  }

  async recordImport(manager: EntityManager, entry: Omit<SiteImport, 'id'>): Promise<void> {
    await manager.getRepository(SiteImport).insert(entry);
  }
}
