/** Builds KECO-format CSVs for tests and the benchmark (the columns of the public dataset). */
export const KECO_COLUMNS = [
  'positnSn',
  'positnNm',
  'positnRgnNm',
  'positnLotnoAddr',
  'positnRdnmAddr',
  'positnPstnAddExpln',
  'positnPstnLat',
  'positnPstnLot',
  'positnIntdcCn',
  'positnCnvncFcltSrvcExpln',
  'prkMthdExpln',
  'monSalsHrExplnCn',
  'tuesSalsHrExplnCn',
  'wedSalsHrExplnCn',
  'thurSalsHrExplnCn',
  'friSalsHrExplnCn',
  'satSalsHrExplnCn',
  'sunSalsHrExplnCn',
  'lhldySalsHrExplnCn',
  'lhldyDyoffCn',
  'tmprLhldyCn',
  'dyoffBgndeCn',
  'dyoffEnddtCn',
  'dyoffRsnExpln',
  'bscTelnoCn',
  'rprsTelnoCn',
  'telnoExpln',
  'indivTelnoCn',
  'lnkgHmpgUrlAddr',
  'indivRelSrchListCn',
  'comRelSrwrdListCn',
  'clctItemCn',
  'etcMttrCn',
] as const;

export type KecoFixtureRow = Partial<Record<(typeof KECO_COLUMNS)[number], string | number>>;

const cell = (value: string | number | undefined): string => {
  const text = value === undefined ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export function kecoCsv(rows: readonly KecoFixtureRow[]): Buffer {
  const lines = [
    KECO_COLUMNS.join(','),
    ...rows.map((row) => KECO_COLUMNS.map((c) => cell(row[c])).join(',')),
  ];
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}

/** Deterministic pseudo-random numbers (mulberry32), so a dataset is the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A site open 09:00–18:00 every day, taking clear PET bottles and cans, unless overridden. */
export function syntheticSite(
  serial: number,
  lat: number,
  lon: number,
  overrides: KecoFixtureRow = {},
): KecoFixtureRow {
  const everyDay = '09:00~18:00';
  return {
    positnSn: serial,
    positnNm: `합성 회수거점 ${serial}`,
    positnRgnNm: '합성시',
    positnRdnmAddr: `합성시 테스트로 ${serial}`,
    positnPstnLat: lat.toFixed(7),
    positnPstnLot: lon.toFixed(7),
    monSalsHrExplnCn: everyDay,
    tuesSalsHrExplnCn: everyDay,
    wedSalsHrExplnCn: everyDay,
    thurSalsHrExplnCn: everyDay,
    friSalsHrExplnCn: everyDay,
    satSalsHrExplnCn: everyDay,
    sunSalsHrExplnCn: everyDay,
    rprsTelnoCn: '02-123-4567',
    clctItemCn: '투명페트병\n캔',
    ...overrides,
  };
}

/**
 * `count` sites spread over South Korea's land: uniformly in boxes around the main regions, weighted
 * roughly by population, so density varies as it does in reality (dense capital area, sparse east).
 */
export function sitesAcrossKorea(
  count: number,
  seed: number,
  overrides: (i: number) => KecoFixtureRow = () => ({}),
): KecoFixtureRow[] {
  const regions = [
    { weight: 0.5, lat: [37.2, 37.75], lon: [126.6, 127.3] }, // capital area
    { weight: 0.15, lat: [35.0, 35.4], lon: [128.8, 129.3] }, // Busan / Ulsan
    { weight: 0.1, lat: [35.75, 36.0], lon: [128.45, 128.75] }, // Daegu
    { weight: 0.08, lat: [36.2, 36.5], lon: [127.3, 127.5] }, // Daejeon
    { weight: 0.07, lat: [35.05, 35.25], lon: [126.75, 127.0] }, // Gwangju
    { weight: 0.1, lat: [34.8, 37.9], lon: [126.5, 129.2] }, // everywhere else
  ];
  const random = seededRandom(seed);
  const between = ([low, high]: number[]): number => low + (high - low) * random();
  return Array.from({ length: count }, (_, i) => {
    let pick = random();
    const region = regions.find((r) => (pick -= r.weight) <= 0) ?? regions[regions.length - 1];
    return syntheticSite(i + 1, between(region.lat), between(region.lon), overrides(i));
  });
}
