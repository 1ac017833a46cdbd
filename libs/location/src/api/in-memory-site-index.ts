import { Inject, Injectable } from '@nestjs/common';
import { around } from 'geokdbush';
import KDBush from 'kdbush';
import { AppConfig } from '#platform';
import { greatCircleMetres } from './earth-geometry.js';
import { NearbySiteIndex, type NearbyQuery, type NearbySite } from './nearby-site-index.js';
import { RecyclingSiteRepository, type SiteSummary } from '../recycling-site.repository.js';
import { PICKUP_CATEGORIES, STORE_CATEGORIES } from './site-categories.js';

interface Snapshot {
  /** null when there are no active sites (kdbush needs at least one point). */
  tree: KDBush | null;
  sites: SiteSummary[];
  /** Per site: bit i set when it takes PICKUP_CATEGORIES[i]; STORE_CATEGORIES index of its store category. */
  pickupMasks: Uint16Array;
  storeIndexes: Uint8Array;
  importId: number;
  checkedAt: number;
}

const pickupBit = (category: string): number => 1 << PICKUP_CATEGORIES.indexOf(category as never);

/**
 * The embedded default's spatial index: a static KD-tree (kdbush) over every active site, queried with
 * geokdbush's great-circle nearest-neighbour search, whose filter runs inside the search so the limit
 * counts only matching sites. Rebuilt after an import in this process, and when another process (the
 * import command on the same SQLite file) recorded an import, checked at most every refresh interval.
 */
@Injectable()
export class InMemorySiteIndex extends NearbySiteIndex {
  private snapshot: Snapshot | undefined;
  private building: Promise<Snapshot> | undefined;
  /** Bumped by invalidate(), so a build that started before an import does not install stale data. */
  private generation = 0;
  private readonly refreshMs: number;

  constructor(
    private readonly sites: RecyclingSiteRepository,
    @Inject(AppConfig) config: AppConfig,
  ) {
    super();
    this.refreshMs = config.int('LOCATION_INDEX_REFRESH_SECONDS') * 1000;
  }

  invalidate(): void {
    this.generation += 1;
    this.snapshot = undefined;
    this.building = undefined;
  }

  async nearby(query: NearbyQuery): Promise<NearbySite[]> {
    const snapshot = await this.current();
    if (!snapshot.tree) return [];
    const storeWanted = query.storeCategories;
    let pickupWanted = 0;
    for (const category of query.pickupCategories ?? []) pickupWanted |= pickupBit(category);
    const matches = (i: number): boolean =>
      (storeWanted === null || storeWanted.has(STORE_CATEGORIES[snapshot.storeIndexes[i]])) &&
      (query.pickupCategories === null || (snapshot.pickupMasks[i] & pickupWanted) !== 0);
    const ids = around(
      snapshot.tree,
      query.longitude,
      query.latitude,
      query.limit,
      query.radiusM / 1000,
      matches,
    );
    return ids.map((i) => {
      const site = snapshot.sites[i];
      return {
        site,
        distanceM: greatCircleMetres(query.latitude, query.longitude, site.latitude, site.longitude),
      };
    });
  }

  private async current(): Promise<Snapshot> {
    const snapshot = this.snapshot;
    if (snapshot && Date.now() - snapshot.checkedAt < this.refreshMs) return snapshot;
    if (snapshot) {
      const importId = await this.sites.latestImportId();
      if (importId === snapshot.importId) {
        snapshot.checkedAt = Date.now();
        return snapshot;
      }
    }
    const generation = this.generation;
    const building = (this.building ??= this.build());
    let built: Snapshot;
    try {
      built = await building;
    } catch (error) {
      if (this.building === building) this.building = undefined;
      throw error;
    }
    if (generation !== this.generation) return this.current();
    this.snapshot = built;
    this.building = undefined;
    return built;
  }

  private async build(): Promise<Snapshot> {
    const importId = await this.sites.latestImportId();
    const sites = await this.sites.findActiveSummaries();
    const tree = sites.length > 0 ? new KDBush(sites.length) : null;
    const pickupMasks = new Uint16Array(sites.length);
    const storeIndexes = new Uint8Array(sites.length);
    sites.forEach((site, i) => {
      tree?.add(site.longitude, site.latitude);
      pickupMasks[i] = site.pickupCategories.split(',').reduce((mask, c) => mask | pickupBit(c), 0);
      storeIndexes[i] = Math.max(0, STORE_CATEGORIES.indexOf(site.storeCategory as never));
    });
    tree?.finish();
    return { tree, sites, pickupMasks, storeIndexes, importId, checkedAt: Date.now() };
  }
}
