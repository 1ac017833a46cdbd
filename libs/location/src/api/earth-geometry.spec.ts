import { describe, expect, it } from 'vitest';
import { hilbertIndex } from './earth-geometry.js';

// One curve cell: 360° / 2^16 of longitude by 180° / 2^16 of latitude.
const CELL_LON = 360 / 2 ** 16;
const CELL_LAT = 180 / 2 ** 16;

describe('hilbertIndex', () => {
  it('numbers an aligned 8 × 8 block of cells consecutively, each cell next to the one before', () => {
    // The block's corner, a multiple of 8 cells, over Seoul.
    const lon0 = -180 + Math.ceil((127 + 180) / CELL_LON / 8) * 8 * CELL_LON;
    const lat0 = -90 + Math.ceil((37.5 + 90) / CELL_LAT / 8) * 8 * CELL_LAT;
    const cells = Array.from({ length: 64 }, (_, i) => {
      const [x, y] = [i % 8, Math.floor(i / 8)];
      return { x, y, index: hilbertIndex(lat0 + (y + 0.5) * CELL_LAT, lon0 + (x + 0.5) * CELL_LON) };
    }).sort((a, b) => a.index - b.index);
    expect(cells[63].index - cells[0].index).toBe(63);
    for (let i = 1; i < cells.length; i++) {
      expect(Math.abs(cells[i].x - cells[i - 1].x) + Math.abs(cells[i].y - cells[i - 1].y)).toBe(1);
    }
  });

  it('gives points in one cell the same index, and keeps the poles and the antimeridian in range', () => {
    expect(hilbertIndex(37.56651, 126.97801)).toBe(hilbertIndex(37.56652, 126.97802));
    for (const [lat, lon] of [
      [90, 180],
      [-90, -180],
      [0, 180],
    ]) {
      expect(hilbertIndex(lat, lon)).toBeGreaterThanOrEqual(0);
      expect(hilbertIndex(lat, lon)).toBeLessThan(2 ** 32);
    }
  });
});
