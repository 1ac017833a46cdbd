import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startKakaoStub, type KakaoStub } from '../../../test/support/kakao-stub.js';
import { bootTestApp, envFor, type Stack, type TestApp } from '../../../test/support/test-app.js';
import { createTestUser } from '../../../test/support/test-tokens.js';
import { Clock } from '#platform';
import { ImportSites } from './api/import-sites.js';
import { kecoCsv, seededRandom, syntheticSite, type KecoFixtureRow } from './testing/keco-csv-fixture.js';

interface Entry {
  id: number;
  name: string;
  source: string;
  latitude: number;
  longitude: number;
  distance_km: number;
  store_category: string;
  pickup_categories: string[];
  is_open: boolean | null;
  is_holiday: boolean | null;
  kakao_place_id: string | null;
}

/** Written independently of the code under test: haversine on the 6371 km sphere, in metres. */
function haversineMetres(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const toRad = (deg: number): number => (deg * Math.PI) / 180;
  const a =
    Math.sin(toRad(lat2 - lat1) / 2) ** 2 +
    Math.cos(toRad(lat1)) * Math.cos(toRad(lat2)) * Math.sin(toRad(lon2 - lon1) / 2) ** 2;
  return 6371e3 * 2 * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a));
}

const ENTRY_FIELDS = [
  'distance_km',
  'distance_text',
  'end_time',
  'id',
  'is_holiday',
  'is_open',
  'kakao_place_id',
  'latitude',
  'longitude',
  'name',
  'phone',
  'pickup_categories',
  'place_url',
  'road_address',
  'source',
  'start_time',
  'store_category',
];

// 고양시청 후문 in the shipped KECO file (serial 3).
const GOYANG_CITY_HALL = { name: '고양시청 후문', lat: 37.6581404, lon: 126.8321693 };

async function bootWith(
  stack: Stack,
  env: NodeJS.ProcessEnv = {},
): Promise<{ app: TestApp; bearer: string }> {
  const app = await bootTestApp(await envFor(stack, { APP_DOMAINS: 'location', APP_ROLE: 'api', ...env }));
  return { app, bearer: (await createTestUser(app)).bearer };
}

const importCsv = (app: TestApp, rows: KecoFixtureRow[], fileName = 'fixture.csv') =>
  app.app.get(ImportSites).execute({ content: kecoCsv(rows), fileName, origin: 'command' });

describe.each<Stack>(['embedded', 'production'])('locations (%s adapters)', (stack) => {
  describe('with the shipped KECO data', () => {
    let app: TestApp;
    let bearer: string;

    beforeAll(async () => {
      ({ app, bearer } = await bootWith(stack));
    });
    afterAll(() => app?.close());

    const get = (path: string) => app.http.get(path).set('Authorization', bearer);

    it('needs an access token', async () => {
      const response = await app.http.get('/api/v1/locations/centers?lat=37.5&lon=127').expect(401);
      expect(response.body.code).toBe('UNAUTHORIZED');
    });

    it('returns a known KECO site first around its coordinates, distances within 1 m of an independent haversine', async () => {
      const { body } = await get(
        `/api/v1/locations/centers?lat=${GOYANG_CITY_HALL.lat}&lon=${GOYANG_CITY_HALL.lon}&radius=3000`,
      ).expect(200);
      expect(Array.isArray(body)).toBe(true);
      expect(body.length).toBeGreaterThan(1);
      expect(body[0]).toMatchObject({ name: GOYANG_CITY_HALL.name, source: 'keco' });
      expect(Object.keys(body[0]).sort()).toEqual(ENTRY_FIELDS);
      let previous = 0;
      for (const entry of body as Entry[]) {
        const expected = haversineMetres(
          GOYANG_CITY_HALL.lat,
          GOYANG_CITY_HALL.lon,
          entry.latitude,
          entry.longitude,
        );
        expect(Math.abs(entry.distance_km * 1000 - expected)).toBeLessThan(1);
        expect(entry.distance_km * 1000).toBeLessThanOrEqual(3000);
        expect(entry.distance_km).toBeGreaterThanOrEqual(previous);
        previous = entry.distance_km;
      }
    });

    it('measures from a point away from the site with the same 1 m accuracy', async () => {
      const from = { lat: GOYANG_CITY_HALL.lat + 0.03, lon: GOYANG_CITY_HALL.lon - 0.04 };
      const { body } = await get(
        `/api/v1/locations/centers?lat=${from.lat}&lon=${from.lon}&radius=20000`,
      ).expect(200);
      const site = (body as Entry[]).find((e) => e.name === GOYANG_CITY_HALL.name)!;
      const expected = haversineMetres(from.lat, from.lon, GOYANG_CITY_HALL.lat, GOYANG_CITY_HALL.lon);
      expect(Math.abs(site.distance_km * 1000 - expected)).toBeLessThan(1);
    });

    it.each([
      ['lat missing', 'lon=127', 'lat'],
      ['lat above 90', 'lat=91&lon=127', 'lat'],
      ['lon below -180', 'lat=37&lon=-181', 'lon'],
      ['lon not a number', 'lat=37&lon=east', 'lon'],
      ['radius under 100', 'lat=37&lon=127&radius=99', 'radius'],
      ['radius over 50 000', 'lat=37&lon=127&radius=50001', 'radius'],
      ['zoom 0', 'lat=37&lon=127&zoom=0', 'zoom'],
      ['zoom 21', 'lat=37&lon=127&zoom=21', 'zoom'],
      ['limit 201', 'lat=37&lon=127&limit=201', 'limit'],
      ['an unknown store category', 'lat=37&lon=127&store_category=cafe_bakery,casino', 'store_category'],
      ['an unknown pickup category', 'lat=37&lon=127&pickup_category=uranium', 'pickup_category'],
    ])('answers 400 naming the field for %s', async (_case, query, field) => {
      const { body } = await get(`/api/v1/locations/centers?${query}`).expect(400);
      expect(body.code).toBe('VALIDATION_ERROR');
      expect(body.details.map((d: { field: string }) => d.field)).toContain(field);
    });

    it('lists the allowed values when a category is unknown', async () => {
      const { body } = await get('/api/v1/locations/centers?lat=37&lon=127&pickup_category=uranium').expect(
        400,
      );
      const detail = body.details.find((d: { field: string }) => d.field === 'pickup_category');
      expect(detail.message).toContain('clear_pet');
      expect(detail.message).toContain('electronics');
    });

    it('maps zoom to radius and limit: zoom 20 is 100 m, zoom 1 is 80 km capped at 50 sites', async () => {
      const base = `/api/v1/locations/centers?lat=${GOYANG_CITY_HALL.lat}&lon=${GOYANG_CITY_HALL.lon}`;
      const close = (await get(`${base}&zoom=20`).expect(200)).body as Entry[];
      expect(close.length).toBeGreaterThanOrEqual(1);
      expect(close.every((e) => e.distance_km <= 0.1)).toBe(true);
      const far = (await get(`${base}&zoom=1`).expect(200)).body as Entry[];
      expect(far).toHaveLength(50);
      expect(far.every((e) => e.distance_km <= 80)).toBe(true);
    });

    it('serves one site in detail, 404 for an unknown id and 400 for a non-integer id', async () => {
      const [first] = (
        await get(`/api/v1/locations/centers?lat=${GOYANG_CITY_HALL.lat}&lon=${GOYANG_CITY_HALL.lon}&limit=1`)
      ).body as Entry[];
      const { body } = await get(`/api/v1/locations/centers/${first.id}`).expect(200);
      expect(Object.keys(body).sort()).toEqual(
        [
          'collection_items',
          'id',
          'introduction',
          'kakao_place_id',
          'latitude',
          'longitude',
          'lot_address',
          'name',
          'opening_hours',
          'phone',
          'pickup_categories',
          'place_url',
          'road_address',
          'source',
          'store_category',
        ].sort(),
      );
      expect(body).toMatchObject({ name: GOYANG_CITY_HALL.name, phone: '031-8075-2706' });
      // Serial 3 opens Tuesdays 11:00–14:00 and is closed the rest of the week.
      expect(body.opening_hours.tue).toMatchObject({
        closed: false,
        ranges: [{ start: '11:00', end: '14:00' }],
      });
      expect(body.opening_hours.mon).toMatchObject({ closed: true });
      const missing = await get('/api/v1/locations/centers/999999').expect(404);
      expect(missing.body).toMatchObject({ code: 'NOT_FOUND', request_id: expect.any(String) });
      const invalid = await get('/api/v1/locations/centers/abc').expect(400);
      expect(invalid.body.details.map((d: { field: string }) => d.field)).toContain('id');
      // Past the integer column's range: a 400, not PostgreSQL's out-of-range error as a 500.
      const huge = await get(`/api/v1/locations/centers/${'9'.repeat(40)}`).expect(400);
      expect(huge.body.details.map((d: { field: string }) => d.field)).toContain('id');
    });

    it('searches names ignoring spacing, the best match first at distance 0', async () => {
      const { body } = await get(`/api/v1/locations/search?q=${encodeURIComponent('고양시청후문')}`).expect(
        200,
      );
      expect(body[0]).toMatchObject({ name: GOYANG_CITY_HALL.name, distance_km: 0 });
      expect(Object.keys(body[0]).sort()).toEqual(ENTRY_FIELDS);
    });

    it('searches addresses, measuring from lat/lon when given', async () => {
      const from = { lat: 37.5665, lon: 126.978 };
      const { body } = await get(
        `/api/v1/locations/search?q=${encodeURIComponent('덕양구 고양시청로')}&lat=${from.lat}&lon=${from.lon}`,
      ).expect(200);
      const site = (body as Entry[]).find((e) => e.name === GOYANG_CITY_HALL.name)!;
      expect(site).toBeDefined();
      const expected = haversineMetres(from.lat, from.lon, site.latitude, site.longitude);
      expect(Math.abs(site.distance_km * 1000 - expected)).toBeLessThan(1);
    });

    it('validates search and suggest queries', async () => {
      await get('/api/v1/locations/search').expect(400);
      await get(`/api/v1/locations/search?q=${'가'.repeat(101)}`).expect(400);
      await get('/api/v1/locations/suggest?q=').expect(400);
    });

    it('suggests at most five places with the fields the search box reads', async () => {
      const { body } = await get(`/api/v1/locations/suggest?q=${encodeURIComponent('행정복지센터')}`).expect(
        200,
      );
      expect(body).toHaveLength(5);
      for (const place of body) {
        expect(Object.keys(place).sort()).toEqual([
          'address',
          'latitude',
          'longitude',
          'place_name',
          'place_url',
        ]);
        expect(place.place_name).toContain('행정복지센터');
      }
    });

    it('imports the shipped file on first start only: a second boot on the same database imports nothing', async () => {
      const second = await bootTestApp(app.env);
      try {
        const imports = await second.app.get(DataSource).query('SELECT origin FROM location_site_imports');
        expect(imports).toEqual([{ origin: 'shipped' }]);
      } finally {
        await second.close();
      }
    });
  });

  describe('category filters', () => {
    let app: TestApp;
    let bearer: string;
    const centre = { lat: 36.35, lon: 127.38 };
    let sites: KecoFixtureRow[];

    beforeAll(async () => {
      ({ app, bearer } = await bootWith(stack, { LOCATION_IMPORT_SHIPPED_SITES: 'false' }));
      const random = seededRandom(7);
      // 1 000 sites within ~15 km; every tenth takes glass, every tenth (another tenth) is a machine.
      sites = Array.from({ length: 1000 }, (_, i) =>
        syntheticSite(i + 1, centre.lat + (random() - 0.5) * 0.25, centre.lon + (random() - 0.5) * 0.3, {
          ...(i % 10 === 0 ? { clctItemCn: '유리병' } : {}),
          ...(i % 10 === 1 ? { positnNm: `무인회수기 ${i + 1}` } : {}),
        }),
      );
      await importCsv(app, sites);
    });
    afterAll(() => app?.close());

    const nearest = (count: number, predicate: (row: KecoFixtureRow) => boolean): string[] =>
      sites
        .filter(predicate)
        .map((row) => ({
          name: String(row.positnNm),
          d: haversineMetres(centre.lat, centre.lon, Number(row.positnPstnLat), Number(row.positnPstnLot)),
        }))
        .sort((a, b) => a.d - b.d)
        .slice(0, count)
        .map((s) => s.name);
    const nearestFifty = (predicate: (row: KecoFixtureRow) => boolean): string[] => nearest(50, predicate);

    it('lists the 200 nearest sites nearest first, as an independent haversine ranks them (stored in curve order)', async () => {
      const { body } = await app.http
        .get(`/api/v1/locations/centers?lat=${centre.lat}&lon=${centre.lon}&radius=50000&limit=200`)
        .set('Authorization', bearer)
        .expect(200);
      expect((body as Entry[]).map((e) => e.name)).toEqual(nearest(200, () => true));
      const distances = (body as Entry[]).map((e) => e.distance_km);
      expect(distances).toEqual([...distances].sort((a, b) => a - b));
    });

    it('fills a page of 50 with a pickup filter matching 10 % of sites: the 50 nearest matching ones', async () => {
      const { body } = await app.http
        .get(
          `/api/v1/locations/centers?lat=${centre.lat}&lon=${centre.lon}&radius=50000&limit=50&pickup_category=glass`,
        )
        .set('Authorization', bearer)
        .expect(200);
      expect(body).toHaveLength(50);
      expect((body as Entry[]).every((e) => e.pickup_categories.includes('glass'))).toBe(true);
      expect((body as Entry[]).map((e) => e.name)).toEqual(
        nearestFifty((row) => row.clctItemCn === '유리병'),
      );
    });

    it('stops at the radius when fewer matching sites lie within it than the page holds', async () => {
      const { body } = await app.http
        .get(
          `/api/v1/locations/centers?lat=${centre.lat}&lon=${centre.lon}&radius=3000&limit=50&pickup_category=glass`,
        )
        .set('Authorization', bearer)
        .expect(200);
      const withinRadius = sites.filter(
        (row) =>
          row.clctItemCn === '유리병' &&
          haversineMetres(centre.lat, centre.lon, Number(row.positnPstnLat), Number(row.positnPstnLot)) <=
            3000,
      );
      expect(withinRadius.length).toBeGreaterThan(0);
      expect(withinRadius.length).toBeLessThan(50);
      expect((body as Entry[]).map((e) => e.name)).toEqual(nearest(50, (row) => withinRadius.includes(row)));
    });

    it('fills a page of 50 with a store filter matching 10 % of sites', async () => {
      const { body } = await app.http
        .get(
          `/api/v1/locations/centers?lat=${centre.lat}&lon=${centre.lon}&radius=50000&limit=50&store_category=public_dropbox`,
        )
        .set('Authorization', bearer)
        .expect(200);
      expect(body).toHaveLength(50);
      expect((body as Entry[]).map((e) => e.name)).toEqual(
        nearestFifty((row) => String(row.positnNm).startsWith('무인회수기')),
      );
    });

    it('combines filters (both must hold) and treats "all" as no filter', async () => {
      const base = `/api/v1/locations/centers?lat=${centre.lat}&lon=${centre.lon}&radius=50000&limit=50`;
      const both = await app.http
        .get(`${base}&store_category=public_dropbox&pickup_category=glass`)
        .set('Authorization', bearer)
        .expect(200);
      expect(both.body).toEqual([]);
      const all = await app.http
        .get(`${base}&store_category=all&pickup_category=all`)
        .set('Authorization', bearer);
      expect(all.body).toHaveLength(50);
    });
  });

  describe('a category few sites have, over a dense area', () => {
    let app: TestApp;
    let bearer: string;
    const centre = { lat: 37.55, lon: 126.98 };
    let sites: KecoFixtureRow[];

    beforeAll(async () => {
      ({ app, bearer } = await bootWith(stack, { LOCATION_IMPORT_SHIPPED_SITES: 'false' }));
      const random = seededRandom(11);
      // 6 000 sites within ~15 km: a tenth take glass, 12 are markets (6 of them taking glass), 24 take
      // batteries.
      sites = Array.from({ length: 6000 }, (_, i) =>
        syntheticSite(i + 1, centre.lat + (random() - 0.5) * 0.25, centre.lon + (random() - 0.5) * 0.3, {
          ...(i % 10 === 0 ? { clctItemCn: '유리병' } : {}),
          ...(i % 250 === 3 ? { clctItemCn: '폐건전지' } : {}),
          ...(i % 1000 === 7 || i % 1000 === 990 ? { positnNm: `한살림 매장 ${i + 1}` } : {}),
        }),
      );
      await importCsv(app, sites);
      // PostgreSQL chooses between walking the box and reading the category by the table's statistics,
      // which autovacuum would gather after an import this size.
      if (stack === 'production') await app.app.get(DataSource).query('ANALYZE location_sites');
    });
    afterAll(() => app?.close());

    const nearestWithin = (radiusM: number, count: number, predicate: (row: KecoFixtureRow) => boolean) =>
      sites
        .filter(predicate)
        .map((row) => ({
          name: String(row.positnNm),
          d: haversineMetres(centre.lat, centre.lon, Number(row.positnPstnLat), Number(row.positnPstnLot)),
        }))
        .filter((site) => site.d <= radiusM)
        .sort((a, b) => a.d - b.d)
        .slice(0, count)
        .map((site) => site.name);
    const names = async (query: string): Promise<string[]> => {
      const { body } = await app.http
        .get(`/api/v1/locations/centers?lat=${centre.lat}&lon=${centre.lon}&${query}`)
        .set('Authorization', bearer)
        .expect(200);
      return (body as Entry[]).map((e) => e.name);
    };

    it('lists every site of a rare store category in a 50 km radius, nearest first', async () => {
      const expected = nearestWithin(50_000, 50, (row) => String(row.positnNm).startsWith('한살림'));
      expect(expected).toHaveLength(12);
      expect(await names('radius=50000&limit=50&store_category=market_mart')).toEqual(expected);
    });

    it('stops a rare pickup category at the radius', async () => {
      const isBatteries = (row: KecoFixtureRow) => row.clctItemCn === '폐건전지';
      const expected = nearestWithin(6000, 50, isBatteries);
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(sites.filter(isBatteries).length);
      expect(await names('radius=6000&limit=50&pickup_category=electronics')).toEqual(expected);
    });

    it('takes both filters when one of them is rare', async () => {
      const expected = nearestWithin(
        50_000,
        50,
        (row) => String(row.positnNm).startsWith('한살림') && row.clctItemCn === '유리병',
      );
      expect(expected).toHaveLength(6);
      expect(await names('radius=50000&limit=50&store_category=market_mart&pickup_category=glass')).toEqual(
        expected,
      );
    });

    it('still fills a page with a common category, the nearest matching sites', async () => {
      expect(await names('radius=50000&limit=50&pickup_category=glass')).toEqual(
        nearestWithin(50_000, 50, (row) => row.clctItemCn === '유리병'),
      );
    });
  });

  describe('opening hours at a fixed clock', () => {
    let app: TestApp;
    let bearer: string;
    const sundaysOnly = { lat: 35.1, lon: 129.0 };
    const weekdaysOnly = { lat: 36.2, lon: 128.1 };
    const holidayHours = { lat: 37.1, lon: 127.4 };
    const lateNights = { lat: 35.8, lon: 127.1 };
    const weekdayHours = '09:00 ~ 18:00';

    beforeAll(async () => {
      ({ app, bearer } = await bootWith(stack, { LOCATION_IMPORT_SHIPPED_SITES: 'false' }));
      await importCsv(app, [
        syntheticSite(1, sundaysOnly.lat, sundaysOnly.lon, {
          positnNm: '일요일만 여는 곳',
          sunSalsHrExplnCn: '00:00~24:00',
          monSalsHrExplnCn: '휴무',
        }),
        syntheticSite(2, weekdaysOnly.lat, weekdaysOnly.lon, {
          positnNm: '평일만 여는 곳',
          monSalsHrExplnCn: weekdayHours,
          tuesSalsHrExplnCn: weekdayHours,
          wedSalsHrExplnCn: weekdayHours,
          thurSalsHrExplnCn: weekdayHours,
          friSalsHrExplnCn: weekdayHours,
          satSalsHrExplnCn: '휴무',
          sunSalsHrExplnCn: '휴무',
        }),
        syntheticSite(3, holidayHours.lat, holidayHours.lon, {
          positnNm: '공휴일에도 여는 곳',
          lhldySalsHrExplnCn: '10:00 ~ 14:00',
        }),
        syntheticSite(4, lateNights.lat, lateNights.lon, {
          positnNm: '자정 넘어 여는 곳',
          friSalsHrExplnCn: '22:00 ~ 02:00',
          satSalsHrExplnCn: '휴무',
        }),
      ]);
    });
    afterAll(() => app?.close());

    /** The site nearest `site` (the site itself) as listed when the clock reads `instant`. */
    const at = async (site: { lat: number; lon: number }, instant: string): Promise<Entry> => {
      vi.spyOn(app.app.get(Clock), 'now').mockReturnValue(new Date(instant));
      const { body } = await app.http
        .get(`/api/v1/locations/centers?lat=${site.lat}&lon=${site.lon}`)
        .set('Authorization', bearer)
        .expect(200);
      return body[0];
    };

    it('is open at 23:59 on Sunday in Korea (14:59 UTC, still Sunday there too)', async () => {
      expect(await at(sundaysOnly, '2026-03-01T14:59:00Z')).toMatchObject({
        is_open: true,
        is_holiday: false,
      });
    });

    it('is closed at 00:01 on Monday in Korea although it is still Sunday in UTC', async () => {
      expect(await at(sundaysOnly, '2026-03-01T15:01:00Z')).toMatchObject({
        is_open: false,
        is_holiday: true,
        start_time: null,
        end_time: null,
      });
    });

    it('closes a weekday site on 추석, Friday 2026-09-25, at 11:00 in Korea', async () => {
      expect(await at(weekdaysOnly, '2026-09-25T02:00:00Z')).toMatchObject({
        name: '평일만 여는 곳',
        is_open: false,
        is_holiday: true,
      });
    });

    it('opens it on the next working day, Monday 2026-09-28, at 11:00 in Korea', async () => {
      expect(await at(weekdaysOnly, '2026-09-28T02:00:00Z')).toMatchObject({
        name: '평일만 여는 곳',
        is_open: true,
        is_holiday: false,
        start_time: '09:00',
        end_time: '18:00',
      });
    });

    it("keeps a site's own holiday hours on 추석, at 11:00 in Korea", async () => {
      expect(await at(holidayHours, '2026-09-25T02:00:00Z')).toMatchObject({
        name: '공휴일에도 여는 곳',
        is_open: true,
        is_holiday: false,
        start_time: '10:00',
        end_time: '14:00',
      });
    });

    it("is open at 01:30 on a Saturday it closes, from Friday's hours past midnight", async () => {
      expect(await at(lateNights, '2026-03-06T16:30:00Z')).toMatchObject({
        name: '자정 넘어 여는 곳',
        is_open: true,
        is_holiday: true,
      });
    });
  });

  describe('re-importing', () => {
    let app: TestApp;
    let bearer: string;

    beforeAll(async () => {
      ({ app, bearer } = await bootWith(stack, { LOCATION_IMPORT_SHIPPED_SITES: 'false' }));
    });
    afterAll(() => app?.close());

    const stored = async (): Promise<Map<string, Record<string, unknown>>> => {
      const rows = (await app.app
        .get(DataSource)
        .query(
          'SELECT id, source_pk, name, latitude, longitude, content_hash, updated_at, retired_at FROM location_sites',
        )) as Record<string, unknown>[];
      return new Map(rows.map((row) => [String(row.source_pk), row]));
    };

    it('changes nothing when the same file comes again, and retires and moves exactly what a newer file says', async () => {
      const original = Array.from({ length: 20 }, (_, i) => syntheticSite(i + 1, 37.3 + i * 0.01, 127.1));
      expect(await importCsv(app, original)).toMatchObject({ added: 20, updated: 0, retired: 0 });
      const first = await stored();

      expect(await importCsv(app, original)).toMatchObject({
        added: 0,
        updated: 0,
        retired: 0,
        unchanged: 20,
      });
      expect(await stored()).toEqual(first);

      const moved = { lat: 37.2, lon: 127.3 };
      const newer = original
        .filter((row) => row.positnSn !== 5)
        .map((row) =>
          row.positnSn === 7
            ? { ...row, positnPstnLat: moved.lat.toFixed(7), positnPstnLot: moved.lon.toFixed(7) }
            : row,
        );
      expect(await importCsv(app, newer)).toMatchObject({
        added: 0,
        updated: 1,
        moved: 1,
        retired: 1,
        unchanged: 18,
      });
      const after = await stored();
      expect(after.size).toBe(20);
      for (const [serial, row] of after) {
        if (serial === '5') expect(row.retired_at).not.toBeNull();
        else if (serial === '7') expect([row.latitude, row.longitude]).toEqual([moved.lat, moved.lon]);
        else expect(row).toEqual(first.get(serial));
      }
      expect(after.get('7')!.id).toBe(first.get('7')!.id);

      const get = (path: string) => app.http.get(path).set('Authorization', bearer);
      await get(`/api/v1/locations/centers/${first.get('5')!.id}`).expect(404);
      const around5 = (await get('/api/v1/locations/centers?lat=37.34&lon=127.1&radius=100').expect(200))
        .body;
      expect(around5).toEqual([]);
      const around7 = (await get(`/api/v1/locations/centers?lat=${moved.lat}&lon=${moved.lon}&radius=100`))
        .body;
      expect(around7.map((e: Entry) => [e.id, e.distance_km])).toEqual([[first.get('7')!.id, 0]]);
    });

    it('skips and reports rows without usable Korean coordinates, and corrects swapped ones', async () => {
      const outcome = await importCsv(app, [
        syntheticSite(101, 37.5, 127.0),
        { ...syntheticSite(102, 0, 0), positnPstnLat: '', positnPstnLot: '' },
        { ...syntheticSite(103, 0, 0), positnPstnLat: '5.1571039', positnPstnLot: '126.9340352' },
        { ...syntheticSite(104, 0, 0), positnPstnLat: '36.5525533', positnPstnLot: '127.7.23106' },
        { ...syntheticSite(105, 0, 0), positnPstnLat: '127.05', positnPstnLot: '37.51' },
      ]);
      expect(outcome.skipped.map((r) => r.sourcePk)).toEqual(['102', '103', '104']);
      expect(outcome.corrected).toEqual([
        expect.objectContaining({ sourcePk: '105', problem: expect.stringContaining('swapped') }),
      ]);
      const rows = await stored();
      expect([rows.get('105')!.latitude, rows.get('105')!.longitude]).toEqual([37.51, 127.05]);
      expect(rows.has('103')).toBe(false);
    });
  });

  describe('with Kakao configured', () => {
    const apiKey = 'test-kakao-key';
    let stub: KakaoStub;
    let app: TestApp;
    let bearer: string;
    const ours = { lat: 37.4, lon: 127.1 };

    beforeAll(async () => {
      stub = await startKakaoStub(
        [
          // The same place as our site (within 50 m): must not be listed twice.
          kakaoPlace('1001', '별빛 자원순환가게', ours.lat + 0.0002, ours.lon),
          // A place of Kakao's 600 m away.
          kakaoPlace('1002', '별빛 자원순환가게 2호점', ours.lat + 0.0054, ours.lon),
          // A place that only Kakao knows, far from any of our sites.
          kakaoPlace('2001', '달빛 리필스테이션', 35.2, 129.1),
        ],
        apiKey,
      );
      ({ app, bearer } = await bootWith(stack, {
        LOCATION_IMPORT_SHIPPED_SITES: 'false',
        KAKAO_REST_API_KEY: apiKey,
        KAKAO_LOCAL_BASE_URL: stub.url,
        KAKAO_TIMEOUT_MS: '300',
      }));
      await importCsv(app, [
        syntheticSite(1, ours.lat, ours.lon, { positnNm: '별빛 자원순환가게' }),
        syntheticSite(2, 35.21, 129.1, { positnNm: '바닷가 회수거점' }),
      ]);
    });
    afterAll(async () => {
      await app?.close();
      await stub?.close();
    });

    const search = (q: string) =>
      app.http
        .get(`/api/v1/locations/search?q=${encodeURIComponent(q)}`)
        .set('Authorization', bearer)
        .expect(200);

    it('merges Kakao places in, never duplicating one of ours, with the key in the header', async () => {
      stub.delayMs = 0;
      const { body } = await search('별빛 자원순환가게');
      expect((body as Entry[]).map((e) => [e.name, e.source])).toEqual([
        ['별빛 자원순환가게', 'keco'],
        ['별빛 자원순환가게 2호점', 'kakao'],
      ]);
      expect(body[1]).toMatchObject({ id: -1002, kakao_place_id: '1002', pickup_categories: ['general'] });
      expect(stub.requests.at(-1)!.authorization).toBe(`KakaoAK ${apiKey}`);
    });

    it("anchors on Kakao's first hit when none of our sites match, listing our sites around it", async () => {
      stub.delayMs = 0;
      const { body } = await search('달빛 리필스테이션');
      expect((body as Entry[]).map((e) => [e.name, e.source])).toEqual([
        ['달빛 리필스테이션', 'kakao'],
        ['바닷가 회수거점', 'keco'],
      ]);
      expect(body[0].distance_km).toBe(0);
    });

    it('answers from our data alone when Kakao is slower than the timeout', async () => {
      stub.delayMs = 2000;
      const started = Date.now();
      const { body } = await search('별빛 자원순환가게');
      expect(Date.now() - started).toBeLessThan(1500);
      expect((body as Entry[]).map((e) => e.source)).toEqual(['keco']);
      stub.delayMs = 0;
    });

    it('suggests our sites first, then Kakao places', async () => {
      const { body } = await app.http
        .get(`/api/v1/locations/suggest?q=${encodeURIComponent('빛')}`)
        .set('Authorization', bearer)
        .expect(200);
      expect(body.map((p: { place_name: string }) => p.place_name)).toEqual([
        '별빛 자원순환가게',
        '별빛 자원순환가게 2호점',
        '달빛 리필스테이션',
      ]);
    });
  });
});

function kakaoPlace(id: string, name: string, lat: number, lon: number) {
  return {
    id,
    place_name: name,
    address_name: '어딘가 1',
    road_address_name: '어딘가로 1',
    phone: '02-000-0000',
    place_url: `http://place.map.kakao.com/${id}`,
    x: String(lon),
    y: String(lat),
  };
}
