import { Logger } from '@nestjs/common';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppConfig } from '../config/app-config.js';
import { PLATFORM_ENV } from '../config/env-schema.js';
import { persistedSecret, StateFileError, type PersistedSecretSpec } from './state-dir.js';

const spec: PersistedSecretSpec = {
  file: 'test.secret',
  generate: () => 'x'.repeat(40),
  problemWith: (value) => (value.length < 32 ? 'it is too short' : undefined),
  replacementCost: 'tests notice',
};

function stateDir(): { dir: string; config: AppConfig } {
  const dir = mkdtempSync(join(tmpdir(), 'eco2-state-'));
  return { dir, config: AppConfig.load(PLATFORM_ENV, { STATE_DIR: dir }) };
}

describe('persistedSecret', () => {
  afterEach(() => vi.restoreAllMocks());

  it('writes a generated secret whole, mode 0600, leaves no temporary file, and says so at warn', () => {
    const warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const { dir, config } = stateDir();
    expect(persistedSecret(config, spec)).toBe('x'.repeat(40));
    expect(readdirSync(dir)).toEqual(['test.secret']);
    expect(statSync(join(dir, 'test.secret')).mode & 0o777).toBe(0o600);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining(join(dir, 'test.secret')));
    expect(persistedSecret(config, { ...spec, generate: () => 'y'.repeat(40) })).toBe('x'.repeat(40));
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['empty', ''],
    ['short', 'short'],
  ])('refuses an %s stored secret, naming the file and the fix', (_, stored) => {
    const { dir, config } = stateDir();
    writeFileSync(join(dir, 'test.secret'), stored);
    let refusal: unknown;
    try {
      persistedSecret(config, spec);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(StateFileError);
    expect((refusal as Error).message).toBe(
      `${join(dir, 'test.secret')}: it is too short. Fix: restore it from a backup, or delete it to have a new one generated (tests notice)`,
    );
  });
});
