import { Logger } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { StateFileError } from './state-dir.js';

const FIX = 'restore it from a backup, or move it away to start with an empty database';

/**
 * Run before a SQLite state file is opened at boot: a file that is not a database, or one damaged
 * in the middle (which would boot, report ready, then answer 500s), refuses the boot with one line
 * naming it. A file that does not exist yet becomes a new empty database, said at warn because on a
 * machine that had data it means the data is gone. The SQLite driver loads here, not with the module:
 * pods on PostgreSQL and RabbitMQ never open a state file and so never load it.
 */
export async function checkSqliteFile(path: string): Promise<void> {
  if (!existsSync(path)) {
    new Logger('StateDir').warn(`${path} does not exist: starting with a new empty database`);
    return;
  }
  const { default: Database } = await import('better-sqlite3');
  let problems: string[];
  try {
    const db = new Database(path, { fileMustExist: true });
    try {
      problems = (db.pragma('quick_check') as { quick_check: string }[]).map((row) => row.quick_check);
    } finally {
      db.close();
    }
  } catch (error) {
    throw new StateFileError(path, `it cannot be read as a SQLite database (${(error as Error).message})`, FIX);
  }
  if (problems.length !== 1 || problems[0] !== 'ok') {
    throw new StateFileError(path, `its integrity check failed (${problems.slice(0, 3).join('; ')})`, FIX);
  }
}
