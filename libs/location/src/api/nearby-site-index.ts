import type { ListedSite } from './location-entry.js';
import type { KoreaMoment } from './opening-hours.js';

export interface NearbyQuery {
  latitude: number;
  longitude: number;
  radiusM: number;
  limit: number;
  /** Only sites of these store categories; null = any. */
  storeCategories: ReadonlySet<string> | null;
  /** Only sites taking at least one of these; null = any. */
  pickupCategories: ReadonlySet<string> | null;
  /** When the answer's opening hours will be evaluated: an index may return only what is read then. */
  hoursReadAt: KoreaMoment;
}

export interface NearbySite {
  site: ListedSite;
  distanceM: number;
}

/**
 * Nearest active sites within a radius, filters applied before the limit, nearest first. Two
 * implementations, chosen by database type: an in-memory KD-tree (SQLite) and PostgreSQL's GiST index.
 */
export abstract class NearbySiteIndex {
  abstract nearby(query: NearbyQuery): Promise<NearbySite[]>;
  /** The stored sites changed (an import ran in this process): rebuild before the next query. */
  abstract invalidate(): void;
}
