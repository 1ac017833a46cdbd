import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AppConfig } from '../config/app-config.js';

/**
 * A state file the process cannot use as it stands. Its message is the one line an operator needs:
 * which file, what is wrong, and how to fix it; boot prints it alone and exits 1.
 */
export class StateFileError extends Error {
  constructor(path: string, problem: string, fix: string) {
    super(`${path}: ${problem}. Fix: ${fix}`);
  }
}

/** The writable folder for local state (SQLite files, local blobs, generated keys). */
export function ensureStateDir(config: AppConfig, ...segments: string[]): string {
  const dir = resolve(config.string('STATE_DIR'), ...segments);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export interface PersistedSecretSpec {
  file: string;
  generate: () => string;
  /** Why a stored value cannot be used, or undefined when it can. */
  problemWith: (value: string) => string | undefined;
  /** What generating a new one costs users, for the warning and the fix (e.g. "every user is logged out"). */
  replacementCost: string;
}

/**
 * A secret read from `STATE_DIR/<file>`, created with `generate()` on first use. Lets the embedded
 * default keep signing keys stable across restarts without any configuration. A stored value that
 * fails `problemWith` refuses the boot rather than being used (an empty HMAC key signs for anyone)
 * or silently replaced.
 */
export function persistedSecret(config: AppConfig, spec: PersistedSecretSpec): string {
  const path = resolve(ensureStateDir(config), spec.file);
  const stored = readIfPresent(path);
  if (stored === undefined) {
    writeOnce(path, spec.generate());
    new Logger('StateDir').warn(`generated a new ${spec.file} in ${path}: ${spec.replacementCost}`);
  }
  // Read back in both cases: another process may have written first, and both must use the same one.
  const value = readIfPresent(path);
  if (value === undefined) {
    throw new StateFileError(path, 'missing right after it was written', 'make STATE_DIR writable and persistent');
  }
  const problem = spec.problemWith(value);
  if (problem) {
    throw new StateFileError(
      path,
      problem,
      `restore it from a backup, or delete it to have a new one generated (${spec.replacementCost})`,
    );
  }
  return value;
}

function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Writes `value` to `path` whole or not at all (a temporary file, synced, then hard-linked into place),
 * mode 0600, and never over an existing file: of two processes racing, the first link wins.
 */
function writeOnce(path: string, value: string): void {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, value);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temporary);
  }
}
