import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Clock, Transactions } from '#platform';
import { KECO_SOURCE, parseKecoSitesCsv } from './keco-sites-csv.js';
import { hilbertIndex } from './earth-geometry.js';
import { NearbySiteIndex } from './nearby-site-index.js';
import { RecyclingSiteRepository, type NewSite } from '../recycling-site.repository.js';
import type { RowReport, SiteRecord } from './site-record.js';
import { searchTextOf } from './site-text-match.js';

export interface SitesFile {
  /** The file's bytes (a KECO sites CSV). */
  content: Buffer;
  /** For the import log only. */
  fileName: string;
  origin: 'shipped' | 'command';
  /** Do nothing when this exact file was imported before (the boot-time import of the shipped data). */
  skipIfImported?: boolean;
}

export interface ImportOutcome {
  alreadyImported: boolean;
  added: number;
  updated: number;
  /** Of the updated sites, how many changed coordinates. */
  moved: number;
  retired: number;
  unchanged: number;
  skipped: RowReport[];
  corrected: RowReport[];
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

function toNewSite(record: SiteRecord): NewSite {
  const site: Omit<NewSite, 'contentHash'> = {
    source: record.source,
    sourcePk: record.sourcePk,
    name: record.name,
    region: record.region,
    roadAddress: record.roadAddress,
    lotAddress: record.lotAddress,
    addressNote: record.addressNote,
    latitude: record.latitude,
    longitude: record.longitude,
    introduction: record.introduction,
    storeCategory: record.storeCategory,
    pickupCategories: record.pickupCategories.join(','),
    collectionItems: record.collectionItems,
    openingHours: record.openingHours,
    phone: record.phone,
    homepageUrl: record.homepageUrl,
    searchText: searchTextOf(record.name, record.roadAddress, record.lotAddress),
    sourceMetadata: record.sourceMetadata,
  };
  return { ...site, contentHash: sha256(JSON.stringify(site)) };
}

function inSpatialOrder(sites: NewSite[]): NewSite[] {
  return sites
    .map((site) => ({ site, key: hilbertIndex(site.latitude, site.longitude) }))
    .sort((a, b) => a.key - b.key)
    .map(({ site }) => site);
}

/**
 * Loads a KECO sites file idempotently, in one transaction: new sites are added, changed ones replaced
 * (and un-retired), sites absent from the file retired (never deleted: ids stay valid), identical ones
 * not written at all. A row the file has but cannot be used (bad coordinates) leaves the stored site as
 * it was rather than retiring it on account of a typo.
 */
@Injectable()
export class ImportSites {
  private readonly logger = new Logger(ImportSites.name);

  constructor(
    private readonly sites: RecyclingSiteRepository,
    private readonly transactions: Transactions,
    private readonly index: NearbySiteIndex,
    private readonly clock: Clock,
  ) {}

  async execute(file: SitesFile): Promise<ImportOutcome> {
    const fileHash = sha256(file.content);
    const parsed = parseKecoSitesCsv(file.content);
    if (parsed.sites.length === 0) {
      // An empty or unreadable file would otherwise retire every site.
      throw new Error(`${file.fileName}: no importable sites (${parsed.skipped.length} rows skipped)`);
    }
    const outcome = await this.transactions.run(async (manager) => {
      await this.sites.lockImports(manager);
      const result: ImportOutcome = {
        alreadyImported: false,
        added: 0,
        updated: 0,
        moved: 0,
        retired: 0,
        unchanged: 0,
        skipped: parsed.skipped,
        corrected: parsed.corrected,
      };
      if (file.skipIfImported && (await this.sites.hasImported(fileHash, manager))) {
        return { ...result, alreadyImported: true };
      }
      const now = this.clock.now();
      const stored = new Map((await this.sites.storedKeys(manager, KECO_SOURCE)).map((s) => [s.sourcePk, s]));
      const inFile = new Set([
        ...parsed.sites.map((s) => s.sourcePk),
        ...parsed.skipped.map((r) => r.sourcePk),
      ]);
      const additions: NewSite[] = [];
      for (const record of parsed.sites) {
        const site = toNewSite(record);
        const existing = stored.get(record.sourcePk);
        if (!existing) {
          additions.push(site);
        } else if (existing.contentHash !== site.contentHash || existing.retired) {
          await this.sites.replace(manager, existing.id, site, now);
          result.updated += 1;
          if (existing.latitude !== site.latitude || existing.longitude !== site.longitude) result.moved += 1;
        } else {
          result.unchanged += 1;
        }
      }
      // In curve order, so the rows of one neighbourhood share pages (see hilbertIndex).
      await this.sites.insert(manager, inSpatialOrder(additions), now);
      result.added = additions.length;
      const toRetire = [...stored.values()]
        .filter((s) => !s.retired && !inFile.has(s.sourcePk))
        .map((s) => s.id);
      await this.sites.retire(manager, toRetire, now);
      result.retired = toRetire.length;
      await this.sites.recordImport(manager, {
        source: KECO_SOURCE,
        origin: file.origin,
        fileName: file.fileName,
        fileHash,
        added: result.added,
        updated: result.updated,
        retired: result.retired,
        unchanged: result.unchanged,
        skipped: result.skipped.length,
        importedAt: now,
      });
      return result;
    });
    if (!outcome.alreadyImported) {
      this.index.invalidate();
      this.logger.log(
        `${file.fileName}: ${outcome.added} added, ${outcome.updated} updated (${outcome.moved} moved), ` +
          `${outcome.retired} retired, ${outcome.unchanged} unchanged, ${outcome.skipped.length} skipped`,
      );
      for (const row of outcome.skipped)
        this.logger.warn(`skipped serial ${row.sourcePk} "${row.name}": ${row.problem}`);
    }
    return outcome;
  }
}
