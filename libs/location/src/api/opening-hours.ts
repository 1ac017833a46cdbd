import * as gazetteYears from '@hyunbinseo/holidays-kr/all';

/** One day's opening hours as published, parsed once at import. Times are "HH:MM" in Korea time. */
export interface DayHours {
  text: string;
  closed: boolean;
  always_open: boolean;
  ranges: { start: string; end: string }[];
}

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Per weekday, plus public holidays and the site's own closure note; `null` where the source is silent. */
export type WeeklyHours = Record<Weekday | 'holiday', DayHours | null> & { closure_note: string | null };

export interface OpenState {
  is_open: boolean | null;
  is_holiday: boolean | null;
  start_time: string | null;
  end_time: string | null;
}

const CLOSED = /휴무|휴관|계약\s*종료|운영\s*중지|closed/i;
const ALWAYS = /상시|24\s*시간|연중\s*무휴/;
const TIME = String.raw`(\d{1,2})\s*(?::\s*(\d{2})|시(?:\s*(\d{2})\s*분)?)`;
const RANGE = new RegExp(`${TIME}\\s*[~\\-–]\\s*${TIME}`, 'g');

function hhmm(hours: string, minutes: string | undefined): string {
  return `${hours.padStart(2, '0')}:${minutes ?? '00'}`;
}

/**
 * "09:00 ~ 18:00", "08시~22시", "09:00 ~ 12:00,\n14:00 ~ 17:00", "상시", "휴무"… Parenthesised notes are
 * dropped before times are read, so "10시~22시 (하절기(7~9월) 10시~23시)" is 10–22 rather than a union
 * with the summer hours.
 */
export function parseDayHours(raw: string | null | undefined): DayHours | null {
  const text = (raw ?? '').trim();
  if (!text) return null;
  let withoutNotes = text;
  while (/\([^()]*\)/.test(withoutNotes)) withoutNotes = withoutNotes.replace(/\([^()]*\)/g, ' ');
  const ranges = [...withoutNotes.matchAll(RANGE)].map((m) => ({
    start: hhmm(m[1], m[2] ?? m[3]),
    end: hhmm(m[4], m[5] ?? m[6]),
  }));
  const allDay = ranges.length === 1 && ranges[0].start === '00:00' && ranges[0].end === '24:00';
  return {
    text,
    closed: ranges.length === 0 && CLOSED.test(withoutNotes),
    always_open: allDay || (ranges.length === 0 && ALWAYS.test(withoutNotes)),
    ranges: allDay ? [] : ranges,
  };
}

const minutesOf = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

const KOREA_OFFSET_MS = 9 * 60 * 60 * 1000;

/**
 * Korean public holidays ("YYYY-MM-DD") as the official gazette (월력요항) lists them, substitute holidays
 * and election days included. The dataset covers the years its release names; a later year has none
 * until the package is updated.
 */
const PUBLIC_HOLIDAYS: ReadonlySet<string> = new Set(
  Object.values(gazetteYears).flatMap((year) => Object.keys(year)),
);

/** A Korea-time calendar day as the rule sees it. */
interface KoreaDay {
  weekday: Weekday;
  publicHoliday: boolean;
}

/** What the open/closed rule reads of an instant: the same for every site, so worked out once per answer. */
export interface KoreaMoment {
  today: KoreaDay;
  yesterday: KoreaDay;
  /** Minute of today, 0–1439. */
  minute: number;
}

/** Weekday and public holiday of an instant already shifted to Korea time (see koreaMomentOf). */
function koreaDayOf(shifted: Date): KoreaDay {
  return {
    weekday: WEEKDAYS[shifted.getUTCDay()],
    publicHoliday: PUBLIC_HOLIDAYS.has(shifted.toISOString().slice(0, 10)),
  };
}

/** The moment in Asia/Seoul: UTC+9 all year, as Korea has no daylight saving. */
export function koreaMomentOf(instant: Date): KoreaMoment {
  const shifted = new Date(instant.getTime() + KOREA_OFFSET_MS);
  return {
    today: koreaDayOf(shifted),
    yesterday: koreaDayOf(new Date(shifted.getTime() - 24 * 60 * 60 * 1000)),
    minute: shifted.getUTCHours() * 60 + shifted.getUTCMinutes(),
  };
}

/** The entries of a week the rule can read: a day's own hours and the holiday hours. */
type DayEntry = Weekday | 'holiday';

/** Some of a site's week: at least the entries the rule reads at the moment it is evaluated for. */
export type HoursExcerpt = Partial<Pick<WeeklyHours, DayEntry>>;

const WEEKLY_HOURS_ENTRIES: readonly (keyof WeeklyHours)[] = [...WEEKDAYS, 'holiday', 'closure_note'];

/**
 * The entries of a week the rule does not read at `moment` (see openStateAt: today's and yesterday's
 * weekday, and the holiday hours when either is a public holiday): a query may leave them out.
 */
export function entriesUnreadAt(moment: KoreaMoment): (keyof WeeklyHours)[] {
  const { today, yesterday } = moment;
  const read = new Set<keyof WeeklyHours>([today.weekday, yesterday.weekday]);
  if (today.publicHoliday || yesterday.publicHoliday) read.add('holiday');
  return WEEKLY_HOURS_ENTRIES.filter((entry) => !read.has(entry));
}

/**
 * The hours that apply on a day: on a public holiday the site's holiday hours; where the source is
 * silent about holidays, a site open all day stays open, one with hours that day is closed (buy-back
 * sites are run by offices and shops that close on 공휴일), and unknown hours stay unknown.
 */
function hoursOfDay(hours: HoursExcerpt, day: KoreaDay): DayHours | null {
  const scheduled = hours[day.weekday] ?? null;
  if (!day.publicHoliday) return scheduled;
  if (hours.holiday) return hours.holiday;
  if (!scheduled || scheduled.always_open) return scheduled;
  return { text: '공휴일 휴무', closed: true, always_open: false, ranges: [] };
}

/**
 * Whether the site is open at `moment`, from today's Korea-time weekday or public holiday. A range past midnight
 * ("22:00 ~ 02:00") keeps the site open into the next day. Unknown hours give nulls rather than a
 * guess (the reference reported unknown hours as closed).
 */
export function openStateAt(hours: HoursExcerpt | null, moment: KoreaMoment): OpenState {
  const unknown: OpenState = { is_open: null, is_holiday: null, start_time: null, end_time: null };
  if (!hours) return unknown;
  const { minute } = moment;
  const today = hoursOfDay(hours, moment.today);
  const yesterday = hoursOfDay(hours, moment.yesterday);
  const spillover = (yesterday?.ranges ?? []).some(
    (r) => minutesOf(r.end) <= minutesOf(r.start) && minute < minutesOf(r.end),
  );
  if (!today) return spillover ? { ...unknown, is_open: true } : unknown;
  if (today.closed) return { is_open: spillover, is_holiday: true, start_time: null, end_time: null };
  if (today.always_open) return { is_open: true, is_holiday: false, start_time: '00:00', end_time: '24:00' };
  if (today.ranges.length === 0) return { ...unknown, is_holiday: false };
  const openNow = today.ranges.some((r) => {
    const start = minutesOf(r.start);
    const end = minutesOf(r.end);
    return end > start ? minute >= start && minute < end : minute >= start;
  });
  return {
    is_open: openNow || spillover,
    is_holiday: false,
    start_time: today.ranges[0].start,
    end_time: today.ranges[today.ranges.length - 1].end,
  };
}
