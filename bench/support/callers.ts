import Database from 'better-sqlite3';
import { createSign, generateKeyPairSync, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';

const ISSUER = 'eco2-bench';
const AUDIENCE = 'eco2-clients';

/**
 * Key material for a benchmark run: the app under test is booted with this private key, so the
 * benchmark can sign access tokens exactly as the auth domain does (RS256, the claims of API.md)
 * without a login round trip per virtual user.
 */
export interface BenchKeys {
  env: { JWT_PRIVATE_KEY: string; JWT_KEY_ID: string; JWT_ISSUER: string; JWT_AUDIENCE: string };
  sign(userId: string, ttlSeconds?: number): string;
}

export function benchKeys(): BenchKeys {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `bench-${randomUUID().slice(0, 8)}`;
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return {
    env: {
      JWT_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      JWT_KEY_ID: kid,
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
    },
    sign(userId, ttlSeconds = 3600) {
      const iat = Math.floor(Date.now() / 1000);
      const header = encode({ alg: 'RS256', typ: 'JWT', kid });
      const payload = encode({
        sub: userId,
        jti: randomUUID(),
        type: 'access',
        iat,
        exp: iat + ttlSeconds,
        iss: ISSUER,
        aud: AUDIENCE,
        provider: 'kakao',
      });
      const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(privateKey, 'base64url');
      return `${header}.${payload}.${signature}`;
    },
  };
}

/** Inserts user rows straight into the app's database (the app has migrated it by then). */
export async function insertUsers(
  database: { stateDir: string } | { url: string; schema: string },
  count: number,
): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  const rows = ids.map((id, i) => [id, `bench-${i}-${id.slice(0, 8)}`, `bench${i}`]);
  if ('stateDir' in database) {
    const db = new Database(join(database.stateDir, 'eco2.sqlite'));
    db.pragma('busy_timeout = 5000');
    const insert = db.prepare('INSERT INTO users (id, username, nickname) VALUES (?, ?, ?)');
    db.transaction(() => rows.forEach((row) => insert.run(...row)))();
    db.close();
  } else {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query(`SET search_path TO ${database.schema}`);
    for (const row of rows)
      await client.query('INSERT INTO users (id, username, nickname) VALUES ($1, $2, $3)', row);
    await client.end();
  }
  return ids;
}
