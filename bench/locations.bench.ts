import 'reflect-metadata';
import { parse } from 'csv-parse/sync';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { BenchReport, parseBenchArgs } from './support/report.js';
import { median, percentile } from './support/stats.js';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { APP_CATALOG } from '../apps/catalog.js';
import { Clock, createApp, type BootedApp } from '../libs/platform/src/index.js';
import type { CentersQuery } from '../libs/location/src/dto/centers-query.dto.js';
import { greatCircleMetres } from '../libs/location/src/api/earth-geometry.js';
import { ImportSites } from '../libs/location/src/api/import-sites.js';
import { NearbyCenters } from '../libs/location/src/api/nearby-centers.js';
import {
  NearbySiteIndex,
  type NearbyQuery,
  type NearbySite,
} from '../libs/location/src/api/nearby-site-index.js';
import { RecyclingSiteRepository, type SiteSummary } from '../libs/location/src/recycling-site.repository.js';
import { SHIPPED_SITES_FILE } from '../libs/location/src/api/shipped-sites-import.js';
import {
  kecoCsv,
  seededRandom,
  sitesAcrossKorea,
  type KecoFixtureRow,
} from '../libs/location/src/testing/keco-csv-fixture.js';

/*
 * `npm run bench:locations`: GET /centers's work (index query + entry mapping + opening hours) against
 * 100 000 synthetic sites spread over Korea plus the shipped KECO sites, through the spatial index and
 * through a naive full scan in the same run, on the embedded default (SQLite + in-memory KD-tree) and
 * on PostgreSQL (GiST). Server time is measured in-process around the use case, so HTTP parsing and
 * the network are left out and the comparison is of the query strategies themselves. `--full`: the
 * issue's 100 000 sites; otherwise 20 000.
 */

const options = parseBenchArgs();
const SYNTHETIC_SITES = options.full ? 100_000 : 20_000;
const QUERIES = options.full ? 1000 : 400;
const ROUNDS = 3;
const CONCURRENCY = 8;

/** The reference's approach: every active site's distance computed, filtered, sorted, cut. */
class InMemoryFullScan extends NearbySiteIndex {
  constructor(private readonly sites: SiteSummary[]) {
    super();
  }
  invalidate(): void {}
  async nearby(q: NearbyQuery): Promise<NearbySite[]> {
    const found: NearbySite[] = [];
    for (const site of this.sites) {
      if (q.storeCategories && !q.storeCategories.has(site.storeCategory)) continue;
      if (q.pickupCategories && !site.pickupCategories.split(',').some((c) => q.pickupCategories!.has(c)))
        continue;
      const distanceM = greatCircleMetres(q.latitude, q.longitude, site.latitude, site.longitude);
      if (distanceM <= q.radiusM) found.push({ site, distanceM });
    }
    return found.sort((a, b) => a.distanceM - b.distanceM).slice(0, q.limit);
  }
}

/** The same in SQL: haversine in the WHERE and ORDER BY, which no index can serve. */
class PostgresFullScan extends NearbySiteIndex {
  constructor(private readonly dataSource: DataSource) {
    super();
  }
  invalidate(): void {}
  async nearby(q: NearbyQuery): Promise<NearbySite[]> {
    const params: unknown[] = [q.latitude, q.longitude, q.radiusM, q.limit];
    let filters = '';
    if (q.storeCategories) {
      params.push([...q.storeCategories]);
      filters += ` AND store_category = ANY($${params.length}::text[])`;
    }
    if (q.pickupCategories) {
      params.push([...q.pickupCategories]);
      filters += ` AND string_to_array(pickup_categories, ',') && $${params.length}::text[]`;
    }
    const distance = `2 * 6371000 * asin(least(1, sqrt(power(sin(radians(latitude - $1) / 2), 2)
      + cos(radians($1)) * cos(radians(latitude)) * power(sin(radians(longitude - $2) / 2), 2))))`;
    const rows = (await this.dataSource.query(
      `SELECT id, name, source, road_address, latitude, longitude, store_category, pickup_categories,
              opening_hours, phone, homepage_url, ${distance} AS distance
         FROM location_sites WHERE retired_at IS NULL AND ${distance} <= $3 ${filters}
        ORDER BY distance LIMIT $4`,
      params,
    )) as Record<string, never>[];
    return rows.map((r) => ({
      site: {
        id: r.id,
        name: r.name,
        source: r.source,
        roadAddress: r.road_address,
        latitude: r.latitude,
        longitude: r.longitude,
        storeCategory: r.store_category,
        pickupCategories: r.pickup_categories,
        openingHours: r.opening_hours,
        phone: r.phone,
        homepageUrl: r.homepage_url,
      },
      distanceM: r.distance,
    }));
  }
}

/** What the app sends: a point near a site or anywhere people live, a Kakao-level zoom, sometimes a filter. */
function queryMix(realSites: KecoFixtureRow[], synthetic: KecoFixtureRow[]): CentersQuery[] {
  const random = seededRandom(42);
  return Array.from({ length: QUERIES }, (_, i) => {
    const pool = i % 2 === 0 ? realSites : synthetic;
    const near = pool[Math.floor(random() * pool.length)];
    const zoom = 2 + Math.floor(random() * 14);
    const filter = random();
    return {
      lat: Number(near.positnPstnLat) + (random() - 0.5) * 0.02,
      lon: Number(near.positnPstnLot) + (random() - 0.5) * 0.02,
      zoom,
      ...(filter < 0.15
        ? { pickup_category: ['glass'] }
        : filter < 0.25
          ? { store_category: ['public_dropbox'] }
          : {}),
    } as CentersQuery;
  });
}

interface Measurement {
  p50: number;
  p99: number;
  rps: number;
  meanResults: number;
}

async function measure(useCase: NearbyCenters, queries: CentersQuery[]): Promise<Measurement> {
  settleHeap();
  for (const q of queries.slice(0, 50)) await useCase.execute(q); // warm-up (JIT, plan cache, pool)
  const times: number[] = [];
  let results = 0;
  for (const q of queries) {
    const started = performance.now();
    results += (await useCase.execute(q)).length;
    times.push(performance.now() - started);
  }
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < queries.length) await useCase.execute(queries[next++]);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    rps: queries.length / seconds,
    meanResults: results / queries.length,
  };
}

interface StackResult {
  stack: string;
  sites: number;
  importSeconds: number;
  index: Measurement;
  scan: Measurement;
}

async function runStack(
  stack: string,
  env: NodeJS.ProcessEnv,
  csv: Buffer,
  queries: CentersQuery[],
): Promise<StackResult> {
  let booted: BootedApp | undefined;
  try {
    booted = await createApp(APP_CATALOG, env);
    const app = booted.app;
    const started = performance.now();
    const outcome = await app
      .get(ImportSites)
      .execute({ content: csv, fileName: 'bench.csv', origin: 'command' });
    const importSeconds = (performance.now() - started) / 1000;
    let sites: number;
    let scanIndex: NearbySiteIndex;
    if (stack === 'postgres') {
      const dataSource = app.get(DataSource);
      // Autovacuum vacuums and analyses a table soon after an import this size. Measured before it
      // has, the planner would lack statistics and the first round would share the machine with the
      // vacuum and pay for the new rows' hint bits: not the table production serves from.
      await dataSource.query('VACUUM ANALYZE location_sites');
      sites = (
        (await dataSource.query(
          'SELECT count(*)::int AS n FROM location_sites WHERE retired_at IS NULL',
        )) as [{ n: number }]
      )[0].n;
      scanIndex = new PostgresFullScan(dataSource);
    } else {
      const summaries = await app.get(RecyclingSiteRepository).findActiveSummaries();
      sites = summaries.length;
      scanIndex = new InMemoryFullScan(summaries);
    }
    const clock = app.get(Clock);
    const indexed = app.get(NearbyCenters);
    const scanned = new NearbyCenters(scanIndex, clock);
    process.stderr.write(
      `${stack}: ${outcome.added} sites imported in ${importSeconds.toFixed(1)} s; measuring\n`,
    );
    const rounds: { index: Measurement; scan: Measurement }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      rounds.push({ index: await measure(indexed, queries), scan: await measure(scanned, queries) });
    }
    const pick = (which: 'index' | 'scan'): Measurement => ({
      p50: median(rounds.map((r) => r[which].p50)),
      p99: median(rounds.map((r) => r[which].p99)),
      rps: median(rounds.map((r) => r[which].rps)),
      meanResults: rounds[0][which].meanResults,
    });
    return { stack, sites, importSeconds, index: pick('index'), scan: pick('scan') };
  } finally {
    await booted?.app.close();
  }
}

function report(results: StackResult[]): boolean {
  const bench = new BenchReport('locations: GET /centers work', options, {
    syntheticSites: SYNTHETIC_SITES,
    queries: QUERIES,
    rounds: ROUNDS,
    concurrency: CONCURRENCY,
  });
  for (const r of results) {
    // The issue's target is stated at 100 000 sites on PostgreSQL: only the full size is held to it.
    const p99Target = r.stack === 'postgres' && options.full ? 10 : undefined;
    for (const [metric, unit] of [
      ['p50', 'ms'],
      ['p99', 'ms'],
      ['rps', 'req/s'],
    ] as const) {
      bench.add({
        name: `${r.stack} ${r.sites} sites ${metric === 'rps' ? `req/s (${CONCURRENCY} callers)` : metric}`,
        value: r.index[metric],
        unit,
        baseline: { name: 'full scan', value: r.scan[metric] },
        ratio: r.index[metric] / r.scan[metric],
        ...(metric === 'p99' && p99Target ? { target: { value: p99Target, higherIsBetter: false } } : {}),
        ...(metric === 'rps'
          ? {
              note: `import ${r.importSeconds.toFixed(1)} s; ${r.index.meanResults.toFixed(1)} rows per answer`,
            }
          : {}),
      });
    }
  }
  return bench.finish();
}

/**
 * A full collection before each measurement, so that it does not pay for the garbage of what ran before
 * it in this process: the import, and the other strategy's round. The app runs inside this process; with
 * the import still on the heap (700 MB), its young-generation collections took 15–22 ms instead of 3–5,
 * and after a naive-scan round the index round met its old-generation collections. A pod serving the
 * route holds neither.
 */
function settleHeap(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** The CSV every stack imports and the queries it answers; the parsed rows are left to the collector. */
function benchInput(): { csv: Buffer; queries: CentersQuery[] } {
  const realRows = parse(readFileSync(SHIPPED_SITES_FILE), { columns: true, bom: true }) as KecoFixtureRow[];
  const locatable = realRows.filter((r) => Number(r.positnPstnLat) > 33 && Number(r.positnPstnLot) > 124);
  // Serials after the real ones; a tenth take glass, another tenth are collection machines.
  const synthetic = sitesAcrossKorea(SYNTHETIC_SITES, 2024, (i) => ({
    positnSn: 1_000_000 + i,
    ...(i % 10 === 0 ? { clctItemCn: '유리병' } : {}),
    ...(i % 10 === 1 ? { positnNm: `무인회수기 ${i}` } : {}),
  }));
  return { csv: kecoCsv([...realRows, ...synthetic]), queries: queryMix(locatable, synthetic) };
}

async function main(): Promise<void> {
  const { csv, queries } = benchInput();
  const common = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    APP_ROLE: 'api',
    APP_DOMAINS: 'location',
    LOCATION_IMPORT_SHIPPED_SITES: 'false',
  };
  const results: StackResult[] = [];

  const stateDir = mkdtempSync(join(tmpdir(), 'eco2-bench-'));
  try {
    results.push(await runStack('embedded', { ...common, STATE_DIR: stateDir }, csv, queries));
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }

  const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `bench_loc_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const pgStateDir = mkdtempSync(join(tmpdir(), 'eco2-bench-'));
  try {
    results.push(
      await runStack(
        'postgres',
        { ...common, STATE_DIR: pgStateDir, DATABASE_URL: url, DATABASE_SCHEMA: schema },
        csv,
        queries,
      ),
    );
  } finally {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
    rmSync(pgStateDir, { recursive: true, force: true });
  }
  process.exitCode = report(results) ? 0 : 1;
}

await main();
