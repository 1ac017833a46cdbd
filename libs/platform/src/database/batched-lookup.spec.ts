import { afterEach, describe, expect, it, vi } from 'vitest';
import { BatchedLookup } from './batched-lookup.js';

interface Row {
  id: string;
}

function lookup(batching = { windowMs: 20, maxBatch: 3 }, fail = false) {
  const queries: string[][] = [];
  const rows = new BatchedLookup<Row>(
    async (ids) => {
      queries.push(ids);
      if (fail) throw new Error('database down');
      return ids.filter((id) => id !== 'missing').map((id) => ({ id }));
    },
    (row) => row.id,
    batching,
  );
  return { rows, queries };
}

describe('BatchedLookup', () => {
  afterEach(() => vi.useRealTimers());

  it('answers the lookups of one window with one query, each caller its own row or null', async () => {
    vi.useFakeTimers();
    const { rows, queries } = lookup();
    const answers = Promise.all([rows.find('a'), rows.find('missing'), rows.find('a')]);

    await vi.advanceTimersByTimeAsync(19);
    expect(queries).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);

    expect(await answers).toEqual([{ id: 'a' }, null, { id: 'a' }]);
    expect(queries).toEqual([['a', 'missing']]);
  });

  it('queries at once when the batch is full, and starts a new window after it', async () => {
    vi.useFakeTimers();
    const { rows, queries } = lookup();
    const full = Promise.all(['a', 'b', 'c'].map((id) => rows.find(id)));
    expect(queries).toEqual([['a', 'b', 'c']]);
    await full;

    const next = rows.find('d');
    await vi.advanceTimersByTimeAsync(20);
    expect(await next).toEqual({ id: 'd' });
    expect(queries).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('rejects every caller of a batch whose query failed', async () => {
    const { rows } = lookup({ windowMs: 1, maxBatch: 10 }, true);
    const answers = [rows.find('a'), rows.find('b')].map((p) => p.catch((e: Error) => e.message));

    expect(await Promise.all(answers)).toEqual(['database down', 'database down']);
  });
});
