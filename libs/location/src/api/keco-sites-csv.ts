import { parse } from 'csv-parse/sync';
import { readKoreanCoordinates } from './korean-coordinates.js';
import { normalizeKoreanPhone } from './korean-phone.js';
import { parseDayHours, type WeeklyHours } from './opening-hours.js';
import { pickupCategoriesOf, storeCategoryOf } from './site-categories.js';
import type { RowReport, SiteRecord } from './site-record.js';

export const KECO_SOURCE = 'keco';

/** KECO column names (public data portal "재활용품 회수보상제" dataset). */
type KecoRow = Record<string, string>;

const DAY_COLUMNS = {
  mon: 'monSalsHrExplnCn',
  tue: 'tuesSalsHrExplnCn',
  wed: 'wedSalsHrExplnCn',
  thu: 'thurSalsHrExplnCn',
  fri: 'friSalsHrExplnCn',
  sat: 'satSalsHrExplnCn',
  sun: 'sunSalsHrExplnCn',
  holiday: 'lhldySalsHrExplnCn',
} as const;

const REQUIRED_COLUMNS = ['positnSn', 'positnNm', 'positnPstnLat', 'positnPstnLot'];

export interface ParsedSites {
  sites: SiteRecord[];
  /** Rows left out, and why. */
  skipped: RowReport[];
  /** Rows imported after a correction (swapped coordinates, stray characters). */
  corrected: RowReport[];
}

const text = (value: string | undefined): string | null => {
  const trimmed = (value ?? '').trim();
  return trimmed ? trimmed : null;
};

function weeklyHoursOf(row: KecoRow): WeeklyHours {
  const closureNotes = [row.lhldyDyoffCn, row.tmprLhldyCn, row.dyoffRsnExpln]
    .map(text)
    .filter((t): t is string => t !== null);
  const period = [text(row.dyoffBgndeCn), text(row.dyoffEnddtCn)].filter(Boolean).join(' ~ ');
  return {
    mon: parseDayHours(row[DAY_COLUMNS.mon]),
    tue: parseDayHours(row[DAY_COLUMNS.tue]),
    wed: parseDayHours(row[DAY_COLUMNS.wed]),
    thu: parseDayHours(row[DAY_COLUMNS.thu]),
    fri: parseDayHours(row[DAY_COLUMNS.fri]),
    sat: parseDayHours(row[DAY_COLUMNS.sat]),
    sun: parseDayHours(row[DAY_COLUMNS.sun]),
    holiday: parseDayHours(row[DAY_COLUMNS.holiday]),
    closure_note: [...new Set(closureNotes), ...(period ? [period] : [])].join(' / ') || null,
  };
}

function homepageOf(value: string | undefined): string | null {
  const candidate = text(value);
  return candidate && /^https?:\/\/\S+$/i.test(candidate) ? candidate : null;
}

/** Parses a KECO sites CSV (UTF-8, optional BOM) into normalised site records. */
export function parseKecoSitesCsv(csv: string | Buffer): ParsedSites {
  const rows = parse(csv, {
    columns: true,
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
  }) as KecoRow[];
  const missing = REQUIRED_COLUMNS.filter((c) => rows.length > 0 && !(c in rows[0]));
  if (missing.length > 0) throw new Error(`not a KECO sites CSV: missing columns ${missing.join(', ')}`);
  const result: ParsedSites = { sites: [], skipped: [], corrected: [] };
  const seen = new Set<string>();
  rows.forEach((row, index) => {
    // Line numbers count the header; multi-line cells make them approximate, the serial is exact.
    const report = (problem: string): RowReport => ({
      line: index + 2,
      sourcePk: (row.positnSn ?? '').trim(),
      name: (row.positnNm ?? '').trim(),
      problem,
    });
    const sourcePk = text(row.positnSn);
    const name = text(row.positnNm);
    if (!sourcePk || !name) return void result.skipped.push(report('no serial number or name'));
    if (seen.has(sourcePk)) return void result.skipped.push(report('duplicate serial number'));
    seen.add(sourcePk);
    const coordinates = readKoreanCoordinates(row.positnPstnLat ?? '', row.positnPstnLot ?? '');
    if ('problem' in coordinates) return void result.skipped.push(report(coordinates.problem));
    if (coordinates.correction) result.corrected.push(report(coordinates.correction));
    const phone =
      normalizeKoreanPhone(row.rprsTelnoCn) ??
      normalizeKoreanPhone(row.bscTelnoCn) ??
      normalizeKoreanPhone(row.indivTelnoCn) ??
      normalizeKoreanPhone(row.telnoExpln);
    result.sites.push({
      source: KECO_SOURCE,
      sourcePk,
      name,
      region: text(row.positnRgnNm),
      roadAddress: text(row.positnRdnmAddr),
      lotAddress: text(row.positnLotnoAddr),
      addressNote: text(row.positnPstnAddExpln),
      latitude: coordinates.latitude,
      longitude: coordinates.longitude,
      introduction: text(row.positnIntdcCn),
      storeCategory: storeCategoryOf([row.positnNm, row.positnPstnAddExpln, row.positnIntdcCn]),
      pickupCategories: pickupCategoriesOf(row.clctItemCn),
      collectionItems: text(row.clctItemCn),
      openingHours: weeklyHoursOf(row),
      phone,
      homepageUrl: homepageOf(row.lnkgHmpgUrlAddr),
      sourceMetadata: Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v ?? ''])),
    });
  });
  return result;
}
