import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../support/test-app.js';
import { startFuzzTarget, type FuzzTarget } from './fuzz-target.js';
import { runFuzz } from './run-fuzz.js';

/** The CI sample of `npm run fuzz`: a fixed seed, so a finding here reproduces with the same command. */
const SEED = 12;
const CASES = 1_500;

describe.each<Stack>(['embedded', 'production'])('hostile input fuzzing (%s adapters)', (stack) => {
  let target: FuzzTarget;

  beforeAll(async () => {
    target = await startFuzzTarget(stack);
  });

  afterAll(() => target?.close());

  it(`answers ${CASES} hostile requests with no 5xx, hang, reset, leak, SSRF or wrongful 2xx`, async () => {
    const report = await runFuzz(target, SEED, CASES);
    expect(report.requests).toBe(CASES);
    expect(report.findings).toEqual([]);
  });
});
