import { describe, expect, it } from 'vitest';
import { gatherPerTurn } from './gather-per-turn.js';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('gatherPerTurn', () => {
  it('hands the items of one turn over together after it, in order, and those of the next turn apart', async () => {
    const calls: string[][] = [];
    const add = gatherPerTurn<string>((items) => calls.push(items));
    add('a');
    add('b');
    await Promise.resolve();
    add('c');
    expect(calls).toEqual([]);
    await nextTurn();
    expect(calls).toEqual([['a', 'b', 'c']]);
    add('d');
    await nextTurn();
    expect(calls).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('takes items added while a turn is handled into the next one', async () => {
    const calls: number[][] = [];
    const add = gatherPerTurn<number>((items) => {
      calls.push(items);
      if (items[0] === 1) add(2);
    });
    add(1);
    await nextTurn();
    await nextTurn();
    expect(calls).toEqual([[1], [2]]);
  });
});
