import { describe, expect, it } from 'vitest';
import { latestForecastIssue } from './kma-forecast-client.js';
import { kmaGridPoint } from './kma-grid.js';

describe('KMA forecast grid', () => {
  // Grid points from the KMA's published location table (기상청 격자 위경도).
  it.each([
    ['Seoul City Hall', 37.5665, 126.978, 60, 127],
    ['Busan City Hall', 35.1796, 129.0756, 98, 76],
    ['Daejeon City Hall', 36.3504, 127.3845, 67, 100],
    ['Gwangju City Hall', 35.1595, 126.8526, 58, 74],
    ['Jeju City', 33.4996, 126.5312, 53, 38],
  ])('puts %s on its grid point', (_place, latitude, longitude, nx, ny) => {
    expect(kmaGridPoint(latitude, longitude)).toEqual({ nx, ny });
  });
});

describe('latest short-term forecast issue', () => {
  const at = (iso: string) => latestForecastIssue(new Date(iso));

  it('takes the newest of the eight daily issues once it is ten minutes old (Korean time)', () => {
    expect(at('2026-12-01T05:10:00+09:00')).toEqual({ baseDate: '20261201', baseTime: '0500' });
    expect(at('2026-12-01T05:09:00+09:00')).toEqual({ baseDate: '20261201', baseTime: '0200' });
    expect(at('2026-12-01T23:59:00+09:00')).toEqual({ baseDate: '20261201', baseTime: '2300' });
    expect(at('2026-12-01T14:30:00+09:00')).toEqual({ baseDate: '20261201', baseTime: '1400' });
  });

  it("falls back to yesterday's 23:00 issue before 02:10, across month and year ends", () => {
    expect(at('2026-12-01T02:05:00+09:00')).toEqual({ baseDate: '20261130', baseTime: '2300' });
    expect(at('2027-01-01T00:30:00+09:00')).toEqual({ baseDate: '20261231', baseTime: '2300' });
  });

  it('reads the date in Korean time, not UTC', () => {
    // 16:00 UTC on 1 Dec is 01:00 KST on 2 Dec: still before the first issue of 2 Dec.
    expect(at('2026-12-01T16:00:00Z')).toEqual({ baseDate: '20261201', baseTime: '2300' });
    // 17:20 UTC is 02:20 KST on 2 Dec: its first issue is readable.
    expect(at('2026-12-01T17:20:00Z')).toEqual({ baseDate: '20261202', baseTime: '0200' });
  });
});
