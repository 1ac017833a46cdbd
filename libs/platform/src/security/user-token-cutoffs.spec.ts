import { afterEach, describe, expect, it, vi } from 'vitest';
import { FixedClock } from '../clock/clock.js';
import { AppConfig } from '../config/app-config.js';
import { PLATFORM_ENV } from '../config/env-schema.js';
import { DomainError } from '../errors/domain-error.js';
import { InMemoryKeyValueStore } from '../kv/in-memory-key-value-store.js';
import { UserTokenCutoffs, userCutoffKey } from './user-token-cutoffs.js';

const NOW = new Date('2026-12-01T10:00:00.400Z');
const NOW_SECONDS = Math.floor(NOW.getTime() / 1000);

function cutoffsOver(kv: InMemoryKeyValueStore, clock = new FixedClock(NOW)): UserTokenCutoffs {
  return new UserTokenCutoffs(kv, AppConfig.load(PLATFORM_ENV, {}), clock);
}

describe('UserTokenCutoffs', () => {
  afterEach(() => vi.useRealTimers());

  it('refuses every token issued before the cutoff, the same second included, and none issued after', async () => {
    const clock = new FixedClock(NOW);
    const cutoffs = cutoffsOver(new InMemoryKeyValueStore(clock), clock);
    await cutoffs.cutOff('user-1');
    expect((await cutoffs.refuses('user-1', NOW_SECONDS)).refused).toBe(true);
    expect((await cutoffs.refuses('user-1', NOW_SECONDS - 3600)).refused).toBe(true);
    expect((await cutoffs.refuses('user-1', NOW_SECONDS + 1)).refused).toBe(false);
    expect((await cutoffs.refuses('someone-else', NOW_SECONDS - 3600)).refused).toBe(false);
  });

  it('keeps the cutoff as long as the longest-lived token issued before it', async () => {
    const clock = new FixedClock(NOW);
    const kv = new InMemoryKeyValueStore(clock);
    const set = vi.spyOn(kv, 'set');
    await cutoffsOver(kv, clock).cutOff('user-1');
    const refreshLifetime = AppConfig.load(PLATFORM_ENV, {}).int('REFRESH_TOKEN_TTL_SECONDS');
    expect(set).toHaveBeenCalledWith(userCutoffKey('user-1'), String(NOW_SECONDS + 1), {
      ttlSeconds: expect.any(Number),
    });
    expect(set.mock.calls[0]![2]!.ttlSeconds).toBeGreaterThan(refreshLifetime);
  });

  it('sees a cutoff written by another process within half a second', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const clock = new FixedClock(NOW);
    const shared = new InMemoryKeyValueStore(clock);
    const otherPod = cutoffsOver(shared, clock);
    const thisPod = cutoffsOver(shared, clock);
    expect((await thisPod.refuses('user-1', NOW_SECONDS - 10)).refused).toBe(false);
    await otherPod.cutOff('user-1');
    vi.advanceTimersByTime(500);
    expect((await thisPod.refuses('user-1', NOW_SECONDS - 10)).refused).toBe(true);
  });

  it('fails closed with 503 DEPENDENCY_UNAVAILABLE when the store cannot be read', async () => {
    const kv = new InMemoryKeyValueStore(new FixedClock(NOW));
    vi.spyOn(kv, 'getMany').mockRejectedValue(new Error('connection refused'));
    const refusal = await cutoffsOver(kv)
      .refuses('user-1', NOW_SECONDS)
      .catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(DomainError);
    expect(refusal).toMatchObject({ status: 503, code: 'DEPENDENCY_UNAVAILABLE' });
  });

  it("reads the caller's keys with the cutoff in one round trip, and only them while the cutoff is cached", async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const clock = new FixedClock(NOW);
    const kv = new InMemoryKeyValueStore(clock);
    await kv.set('blacklisted', 'yes');
    const reads = vi.spyOn(kv, 'getMany');
    const cutoffs = cutoffsOver(kv, clock);
    const wanted = ['blacklisted', 'unknown'];
    expect(await cutoffs.refuses('user-1', NOW_SECONDS, wanted)).toEqual({
      refused: false,
      values: ['yes', null],
    });
    expect(await cutoffs.refuses('user-1', NOW_SECONDS, wanted)).toEqual({
      refused: false,
      values: ['yes', null],
    });
    expect(reads.mock.calls).toEqual([[[...wanted, userCutoffKey('user-1')]], [wanted]]);
  });

  it('refuses everything for a value it cannot read as a time', async () => {
    const kv = new InMemoryKeyValueStore(new FixedClock(NOW));
    await kv.set(userCutoffKey('user-1'), 'garbage');
    expect((await cutoffsOver(kv).refuses('user-1', NOW_SECONDS + 3600)).refused).toBe(true);
  });
});
