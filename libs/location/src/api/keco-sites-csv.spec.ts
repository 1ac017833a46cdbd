import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dataPath } from '#platform';
import { parseKecoSitesCsv } from './keco-sites-csv.js';
import { readKoreanCoordinates } from './korean-coordinates.js';
import { normalizeKoreanPhone } from './korean-phone.js';
import { pickupCategoriesOf, storeCategoryOf } from './site-categories.js';

describe('KECO sites CSV', () => {
  const shipped = parseKecoSitesCsv(
    readFileSync(dataPath('locations', 'keco_recycle_compensation_sites.csv')),
  );

  it('imports every shipped row with usable coordinates and reports the 13 without', () => {
    expect(shipped.sites).toHaveLength(396);
    expect(shipped.skipped.map((r) => r.sourcePk)).toEqual([
      '47',
      '188',
      '204',
      '205',
      '207',
      '208',
      '210',
      '313',
      '326',
      '348',
      '353',
      '368',
      '379',
    ]);
    expect(shipped.corrected).toEqual([expect.objectContaining({ sourcePk: '99' })]);
    for (const site of shipped.sites) {
      expect(site.latitude).toBeGreaterThanOrEqual(33);
      expect(site.latitude).toBeLessThanOrEqual(39);
      expect(site.longitude).toBeGreaterThanOrEqual(124);
      expect(site.longitude).toBeLessThanOrEqual(132);
    }
  });

  it('keeps the first phone number the app can dial, in dashed groups', () => {
    const goyang = shipped.sites.find((s) => s.sourcePk === '1')!;
    expect(goyang.phone).toBe('031-8075-2706');
    // bscTelnoCn "850-6921(자원순환과)" lacks its area code; rprsTelnoCn has the full number.
    const withExtension = shipped.sites.find((s) => s.sourceMetadata.bscTelnoCn === '850-6921(자원순환과)')!;
    expect(withExtension.phone).toBe('043-850-6921');
  });
});

describe('coordinates', () => {
  it.each([
    ['37.5', '127.0', { latitude: 37.5, longitude: 127 }],
    ['127.0', '37.5', { latitude: 37.5, longitude: 127, correction: expect.stringContaining('swapped') }],
    [
      '37.45255496043788?',
      '126.64',
      { latitude: 37.45255496043788, longitude: 126.64, correction: expect.any(String) },
    ],
    ['', '', { problem: 'no coordinates' }],
    ['5.1571039', '126.93', { problem: expect.stringContaining('outside Korea') }],
    ['36.55', '127.7.23106', { problem: expect.stringContaining('unreadable') }],
    ['48.85', '2.35', { problem: expect.stringContaining('outside Korea') }],
  ])('reads (%s, %s)', (lat, lon, expected) => {
    expect(readKoreanCoordinates(lat, lon)).toEqual(expected);
  });
});

describe('phones', () => {
  it.each([
    ['031-8075-2706~2708\n고양시청 자원순환과', '031-8075-2706'],
    ['02 123 4567', '02-123-4567'],
    ['01012345678', '010-1234-5678'],
    ['1600-6217', '1600-6217'],
    ['850-6921(자원순환과)', null],
    ['자원정책과', null],
  ])('normalises %j', (raw, expected) => {
    expect(normalizeKoreanPhone(raw)).toBe(expected);
  });
});

describe('categories', () => {
  it.each([
    [
      '투명페트병\n유색페트병\n판PET\n플라스틱(PE)\n종이박스\n알루미늄 캔\n철 캔',
      ['clear_pet', 'colored_pet', 'can', 'paper', 'plastic'],
    ],
    ['투명패트병\n캔', ['clear_pet', 'can']],
    ['투명페트명', ['clear_pet']],
    ['PET', ['clear_pet']],
    ['(캔류)\n알루미늄\n철', ['can']],
    ['투명, 갈색,녹색병', ['glass']],
    ['(중고의류)\n의류\n외류 외(가방, 신발)', ['textile']],
    ['폐건전지', ['electronics']],
    ['paper', ['paper']],
    ['', ['general']],
  ])('reads collected items %j', (items, expected) => {
    expect(pickupCategoriesOf(items)).toEqual(expected);
  });

  it.each([
    [['친환경자원순환센터 재활용 무인회수기'], 'public_dropbox'],
    [['주교동 행정복지센터'], 'general'],
    [['알맹상점 리필스테이션'], 'refill_zero'],
    [['고양동 종합복지회관', '', '고품질 재활용품을 유가보상해주는 자원순환가게'], 'upcycle_recycle'],
    [['숲속 게스트하우스'], 'lodging'],
    [['리필 스테이션 호텔점'], 'refill_zero'],
    [['동네 책방'], 'book_workshop'],
  ])('classifies the store %j', (texts, expected) => {
    expect(storeCategoryOf(texts)).toBe(expected);
  });
});
