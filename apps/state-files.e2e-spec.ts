import Database from 'better-sqlite3';
import { closeSync, mkdtempSync, openSync, readdirSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startAppProcess } from '../test/support/app-process.js';

// A pod that opens every kind of state file: the database, the queue, the JWT key and the blob secret.
const POD = { APP_ROLE: 'api', APP_DOMAINS: 'scan' };

function stateDirWith(files: Record<string, string | Buffer> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'eco2-state-files-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** A real database of several pages whose sixth page is then overwritten with garbage. */
function databaseCorruptedMidFile(dir: string): void {
  const path = join(dir, 'eco2.sqlite');
  const db = new Database(path);
  db.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, text TEXT)');
  const insert = db.prepare('INSERT INTO filler (text) VALUES (?)');
  for (let i = 0; i < 3000; i++) insert.run(`row ${i} `.padEnd(60, '.'));
  db.close();
  const fd = openSync(path, 'r+');
  writeSync(fd, Buffer.alloc(4096, 0xab), 0, 4096, 5 * 4096);
  closeSync(fd);
}

/** Boots the real process on `dir` and expects it to refuse: exit 1 and exactly one line of output. */
async function refusalOn(dir: string): Promise<string> {
  const app = await startAppProcess({ ...POD, STATE_DIR: dir });
  expect(await app.exited).toBe(1);
  const lines = app.output.join('\n').split('\n').filter(Boolean);
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

// Each case spawns the real process; on a loaded machine a boot alone can take a minute.
describe('corrupted or missing state files', { timeout: 180_000 }, () => {
  it('refuses an empty blob-signing secret, naming the file and the fix', async () => {
    const dir = stateDirWith({ 'blob-signing.secret': '' });
    expect(await refusalOn(dir)).toBe(
      `${join(dir, 'blob-signing.secret')}: it is empty. Fix: restore it from a backup, or delete it to have a new one generated (upload and download URLs already handed out stop working)`,
    );
  });

  it('refuses a short blob-signing secret, in the file or configured', async () => {
    const dir = stateDirWith({ 'blob-signing.secret': 'abc123' });
    expect(await refusalOn(dir)).toContain(`${join(dir, 'blob-signing.secret')}: it has 6 characters`);
    const configured = await startAppProcess({ ...POD, BLOB_SIGNING_SECRET: 'short' });
    expect(await configured.exited).toBe(1);
    expect(configured.output.join('\n')).toContain('BLOB_SIGNING_SECRET=<secret>: it has 5 characters');
  });

  it('refuses a garbage JWT signing key', async () => {
    const dir = stateDirWith({ 'jwt-signing-key.pem': 'garbage\n' });
    expect(await refusalOn(dir)).toBe(
      `${join(dir, 'jwt-signing-key.pem')}: it is not a PEM private key. Fix: restore it from a backup, or delete it to have a new one generated (every user is logged out)`,
    );
  });

  it('refuses at once a database file that is not a database', async () => {
    const dir = stateDirWith({ 'eco2.sqlite': Buffer.alloc(8192, 0x5a) });
    expect(await refusalOn(dir)).toBe(
      `${join(dir, 'eco2.sqlite')}: it cannot be read as a SQLite database (file is not a database). Fix: restore it from a backup, or move it away to start with an empty database`,
    );
  });

  it('refuses a database corrupted in mid-file instead of booting ready and answering 500s', async () => {
    const dir = stateDirWith();
    databaseCorruptedMidFile(dir);
    expect(await refusalOn(dir)).toMatch(
      new RegExp(`^${join(dir, 'eco2.sqlite')}: .*(malformed|integrity check failed).*Fix: restore it`),
    );
  });

  it('says at warn when it generates a key or starts an empty database, and writes keys mode 0600', async () => {
    const app = await startAppProcess(POD);
    try {
      await app.waitForReady(110_000);
      const warnings = app.output
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { level: number; msg: string })
        .filter((entry) => entry.level === 40)
        .map((entry) => entry.msg);
      expect(warnings).toEqual(
        expect.arrayContaining([
          `generated a new jwt-signing-key.pem in ${join(app.stateDir, 'jwt-signing-key.pem')}: every user is logged out`,
          `${join(app.stateDir, 'eco2.sqlite')} does not exist: starting with a new empty database`,
        ]),
      );
      for (const file of ['jwt-signing-key.pem', 'blob-signing.secret']) {
        expect(statSync(join(app.stateDir, file)).mode & 0o777).toBe(0o600);
      }
      expect(readdirSync(app.stateDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    } finally {
      await app.stop();
    }
  });
});
