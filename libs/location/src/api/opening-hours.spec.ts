import { describe, expect, it } from 'vitest';
import {
  entriesUnreadAt,
  koreaMomentOf,
  openStateAt,
  parseDayHours,
  type WeeklyHours,
} from './opening-hours.js';

const week = (days: Partial<Record<keyof WeeklyHours, string>>): WeeklyHours => ({
  mon: parseDayHours(days.mon),
  tue: parseDayHours(days.tue),
  wed: parseDayHours(days.wed),
  thu: parseDayHours(days.thu),
  fri: parseDayHours(days.fri),
  sat: parseDayHours(days.sat),
  sun: parseDayHours(days.sun),
  holiday: null,
  closure_note: null,
});

// 2026-03-09 is a Monday and no public holiday; Korea is UTC+9.
const kst = (isoLocal: string) => koreaMomentOf(new Date(`${isoLocal}+09:00`));

describe('opening hours', () => {
  it.each([
    ['09:00 ~ 18:00', { closed: false, always_open: false, ranges: [{ start: '09:00', end: '18:00' }] }],
    ['08시~22시', { ranges: [{ start: '08:00', end: '22:00' }] }],
    [
      '9:00 ~ 11:00\n15:00 ~ 17:00',
      {
        ranges: [
          { start: '09:00', end: '11:00' },
          { start: '15:00', end: '17:00' },
        ],
      },
    ],
    ['10시~22시         (하절기(7~9월) 10시~23시)', { ranges: [{ start: '10:00', end: '22:00' }] }],
    ['상시', { always_open: true, ranges: [] }],
    ['00:00~24:00', { always_open: true, ranges: [] }],
    ['휴무', { closed: true }],
    ['계약종료', { closed: true }],
  ])('parses %j', (text, expected) => {
    expect(parseDayHours(text)).toMatchObject(expected);
  });

  it('evaluates the weekday and time in Korea, not UTC', () => {
    const hours = week({ mon: '09:00~18:00', sun: '휴무' });
    // 09:30 Monday in Korea is 00:30 Monday UTC; 08:59 is still Sunday 23:59 UTC.
    expect(openStateAt(hours, kst('2026-03-09T09:30:00'))).toEqual({
      is_open: true,
      is_holiday: false,
      start_time: '09:00',
      end_time: '18:00',
    });
    expect(openStateAt(hours, kst('2026-03-09T08:59:00')).is_open).toBe(false);
    expect(openStateAt(hours, kst('2026-03-09T18:00:00')).is_open).toBe(false);
    expect(openStateAt(hours, kst('2026-03-08T12:00:00'))).toMatchObject({
      is_open: false,
      is_holiday: true,
    });
  });

  it('keeps a site open past midnight into the next day', () => {
    const hours = week({ fri: '22:00 ~ 02:00', sat: '휴무' });
    expect(openStateAt(hours, kst('2026-03-06T23:00:00')).is_open).toBe(true);
    expect(openStateAt(hours, kst('2026-03-07T01:30:00')).is_open).toBe(true);
    expect(openStateAt(hours, kst('2026-03-07T02:30:00')).is_open).toBe(false);
  });

  describe('on Korean public holidays', () => {
    const weekdays = week({
      mon: '09:00~18:00',
      tue: '09:00~18:00',
      wed: '09:00~18:00',
      thu: '09:00~18:00',
      fri: '09:00~18:00',
    });

    it('closes a site with a weekday schedule on 추석 (Friday 2026-09-25) and opens it the next working day', () => {
      expect(openStateAt(weekdays, kst('2026-09-25T11:00:00'))).toEqual({
        is_open: false,
        is_holiday: true,
        start_time: null,
        end_time: null,
      });
      // 09-26 is 추석 다음 날 (a Saturday), 09-27 a Sunday: Monday 09-28 is the next working day.
      expect(openStateAt(weekdays, kst('2026-09-28T11:00:00'))).toEqual({
        is_open: true,
        is_holiday: false,
        start_time: '09:00',
        end_time: '18:00',
      });
      expect(openStateAt(weekdays, kst('2026-09-24T11:00:00')).is_open).toBe(false); // 추석 전날
    });

    it('closes on 설날 and on substitute holidays (대체공휴일)', () => {
      expect(openStateAt(weekdays, kst('2026-02-17T11:00:00')).is_open).toBe(false); // 설날, a Tuesday
      expect(openStateAt(weekdays, kst('2026-10-05T11:00:00')).is_open).toBe(false); // 대체공휴일(개천절), a Monday
      expect(openStateAt(weekdays, kst('2026-10-06T11:00:00')).is_open).toBe(true);
    });

    it("follows the site's own holiday hours where it publishes them, and keeps an always-open site open", () => {
      const withHolidayHours: WeeklyHours = { ...weekdays, holiday: parseDayHours('10:00~14:00') };
      expect(openStateAt(withHolidayHours, kst('2026-09-25T11:00:00'))).toMatchObject({
        is_open: true,
        start_time: '10:00',
        end_time: '14:00',
      });
      expect(openStateAt(withHolidayHours, kst('2026-09-25T15:00:00')).is_open).toBe(false);
      expect(openStateAt(week({ fri: '상시' }), kst('2026-09-25T11:00:00')).is_open).toBe(true);
    });

    it('takes the date in Korea, not in UTC', () => {
      const early = week({ mon: '07:00~20:00', tue: '07:00~20:00' });
      // 08:30 on Monday 10-05 (대체공휴일) in Korea is still Sunday 10-04 in UTC.
      expect(openStateAt(early, koreaMomentOf(new Date('2026-10-04T23:30:00Z'))).is_open).toBe(false);
      // 08:30 on Tuesday 10-06 in Korea is still the holiday 10-05 in UTC.
      expect(openStateAt(early, koreaMomentOf(new Date('2026-10-05T23:30:00Z'))).is_open).toBe(true);
    });
  });

  it('reports unknown hours as unknown rather than closed', () => {
    expect(openStateAt(week({}), kst('2026-03-02T12:00:00'))).toEqual({
      is_open: null,
      is_holiday: null,
      start_time: null,
      end_time: null,
    });
  });

  it('gives the same state from the entries read at a moment as from the whole week', () => {
    const weeks = [
      week({
        mon: '09:00~18:00',
        tue: '09:00~18:00',
        wed: '09:00~18:00',
        thu: '09:00~18:00',
        fri: '09:00~18:00',
      }),
      { ...week({ mon: '09:00~18:00', sat: '휴무' }), holiday: parseDayHours('10:00~14:00') },
      week({ fri: '22:00 ~ 02:00', sat: '22:00 ~ 02:00', sun: '상시', mon: '22:00 ~ 02:00' }),
      week({}),
    ];
    // Every three hours over 추석 2026 (09-24…09-26) and 개천절 with its substitute day (10-03, 10-05).
    const instants = [
      ...Array.from({ length: 56 }, (_, i) => new Date(Date.UTC(2026, 8, 22, 3 * i))),
      ...Array.from({ length: 40 }, (_, i) => new Date(Date.UTC(2026, 9, 2, 3 * i))),
    ];
    for (const instant of instants) {
      const moment = koreaMomentOf(instant);
      const unread = entriesUnreadAt(moment);
      for (const hours of weeks) {
        const excerpt = Object.fromEntries(
          Object.entries(hours).filter(([entry]) => !unread.includes(entry as keyof WeeklyHours)),
        );
        expect(Object.keys(excerpt).length).toBeLessThanOrEqual(3);
        expect(openStateAt(excerpt, moment)).toEqual(openStateAt(hours, moment));
      }
    }
  });
});
