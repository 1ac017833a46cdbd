import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AppConfig } from '../config/app-config.js';

/** The writable folder for local state (SQLite files, local blobs, generated keys). */
export function ensureStateDir(config: AppConfig, ...segments: string[]): string {
  const dir = resolve(config.string('STATE_DIR'), ...segments);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * A secret read from `STATE_DIR/<file>`, created with `generate()` on first use. Lets the embedded
 * default keep signing keys stable across restarts without any configuration.
 */
export function persistedSecret(config: AppConfig, file: string, generate: () => string): string {
  const path = resolve(ensureStateDir(config), file);
  try {
    return readFileSync(path, 'utf8');
  } catch {
    const value = generate();
    try {
      writeFileSync(path, value, { mode: 0o600, flag: 'wx' });
      return value;
    } catch {
      // Another process created it first: use theirs so both agree.
      return readFileSync(path, 'utf8');
    }
  }
}
