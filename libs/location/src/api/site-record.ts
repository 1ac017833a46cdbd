import type { WeeklyHours } from './opening-hours.js';
import type { PickupCategory, StoreCategory } from './site-categories.js';

/** A site as an import produces it, before it is stored: what a dataset row normalises to. */
export interface SiteRecord {
  source: string;
  sourcePk: string;
  name: string;
  region: string | null;
  roadAddress: string | null;
  lotAddress: string | null;
  addressNote: string | null;
  latitude: number;
  longitude: number;
  introduction: string | null;
  storeCategory: StoreCategory;
  pickupCategories: PickupCategory[];
  collectionItems: string | null;
  openingHours: WeeklyHours;
  phone: string | null;
  homepageUrl: string | null;
  sourceMetadata: Record<string, string>;
}

/** A dataset row that was not imported, or was imported after a correction, and why. */
export interface RowReport {
  line: number;
  sourcePk: string;
  name: string;
  problem: string;
}

/** Lowercased, without any whitespace: how names and addresses are compared (spacing-tolerant search). */
export function searchKey(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/\s+/g, '');
}
