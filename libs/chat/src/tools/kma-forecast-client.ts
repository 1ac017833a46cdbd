import { outboundGet, type OutboundLimits } from '#platform';
import { dataGoKrBody } from './data-go-kr-response.js';
import type { KmaGridPoint } from './kma-grid.js';

/** One forecast hour as the assistant reads it. */
export interface ForecastPeriod {
  /** `MM/DD HH시`, Korean time. */
  at: string;
  sky: string;
  /** Precipitation type: 없음, 비, 비/눈, 눈, 소나기. */
  rain: string;
  rain_chance: number;
  temperature: number | null;
}

export interface ForecastIssue {
  /** `yyyyMMdd`, Korean time. */
  baseDate: string;
  /** `HHmm`. */
  baseTime: string;
}

interface KmaItem {
  category: string;
  fcstDate: string;
  fcstTime: string;
  fcstValue: string;
}

/** `items` is an empty string when there are none. */
interface KmaBody {
  items?: { item?: KmaItem[] } | '';
}

const KST_OFFSET_MS = 9 * 3600_000;
/** The short-term forecast is issued eight times a day (02, 05, …, 23 KST), readable from ten past. */
const ISSUE_HOURS = [23, 20, 17, 14, 11, 8, 5, 2];
const READABLE_AFTER_MINUTES = 10;
/** About 24 hours of every category (≈ 12 rows per forecast hour). */
const ROWS = 300;
const SKY: Record<string, string> = { '1': '맑음', '3': '구름많음', '4': '흐림' };
const PRECIPITATION: Record<string, string> = {
  '0': '없음',
  '1': '비',
  '2': '비/눈',
  '3': '눈',
  '4': '소나기',
};
/** Every third hour: a day's forecast in eight compact periods. */
const PERIODS = 8;

/** The newest forecast issue readable at `now` (before 02:10 KST: yesterday's 23:00 issue). */
export function latestForecastIssue(now: Date): ForecastIssue {
  const kst = new Date(now.getTime() + KST_OFFSET_MS);
  const minutes = kst.getUTCHours() * 60 + kst.getUTCMinutes();
  const hour = ISSUE_HOURS.find((h) => minutes >= h * 60 + READABLE_AFTER_MINUTES);
  const day = hour === undefined ? new Date(kst.getTime() - 24 * 3600_000) : kst;
  return {
    baseDate: day.toISOString().slice(0, 10).replaceAll('-', ''),
    baseTime: `${String(hour ?? 23).padStart(2, '0')}00`,
  };
}

/** KMA VilageFcstInfoService `getVilageFcst` (단기예보), JSON, keyed by the data.go.kr service key. */
export class KmaForecastClient {
  constructor(
    private readonly baseUrl: string,
    private readonly serviceKey: string,
    private readonly limits: OutboundLimits,
  ) {}

  async forecast(grid: KmaGridPoint, issue: ForecastIssue, signal?: AbortSignal): Promise<ForecastPeriod[]> {
    const url = new URL(`${this.baseUrl.replace(/\/$/, '')}/getVilageFcst`);
    url.search = new URLSearchParams({
      serviceKey: this.serviceKey,
      pageNo: '1',
      numOfRows: String(ROWS),
      dataType: 'JSON',
      base_date: issue.baseDate,
      base_time: issue.baseTime,
      nx: String(grid.nx),
      ny: String(grid.ny),
    }).toString();
    const response = await outboundGet({ url: url.toString(), ...this.limits, signal });
    const body = dataGoKrBody<KmaBody>('KMA forecast', response);
    const items = (body?.items || { item: [] }).item ?? [];
    return periodsOf(items);
  }
}

function periodsOf(items: readonly KmaItem[]): ForecastPeriod[] {
  const hours = new Map<string, Map<string, string>>();
  for (const item of items) {
    const key = `${item.fcstDate}${item.fcstTime}`;
    const values = hours.get(key) ?? new Map<string, string>();
    values.set(item.category, item.fcstValue);
    hours.set(key, values);
  }
  return [...hours.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .filter(([key]) => Number(key.slice(8, 10)) % 3 === 0)
    .slice(0, PERIODS)
    .map(([key, values]) => {
      const temperature = Number(values.get('TMP'));
      return {
        at: `${key.slice(4, 6)}/${key.slice(6, 8)} ${key.slice(8, 10)}시`,
        sky: SKY[values.get('SKY') ?? ''] ?? '알 수 없음',
        rain: PRECIPITATION[values.get('PTY') ?? '0'] ?? '없음',
        rain_chance: Number(values.get('POP') ?? 0),
        temperature: values.has('TMP') && Number.isFinite(temperature) ? temperature : null,
      };
    });
}
