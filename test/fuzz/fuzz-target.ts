import { JwtService } from '@nestjs/jwt';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { TokenKeys } from '../../libs/platform/src/index.js';
import { listenOnFreePort, submitScan, uploadScanPhoto } from '../support/scan-flow.js';
import { bootTestApp, envFor, type Stack, type TestApp } from '../support/test-app.js';
import { createTestUser, signAccessToken } from '../support/test-tokens.js';
import type { FuzzContext, OpenApiDocument } from './hostile-cases.js';

/** The app under attack, listening on a real port, with two users and a canary that counts SSRF hits. */
export interface FuzzTarget {
  stack: Stack;
  baseUrl: string;
  doc: OpenApiDocument;
  context: FuzzContext;
  /** Requests the canary listener received: any is a finding. */
  canaryHits(): number;
  /** A user of its own, for requests that log out or delete the caller. */
  freshUser(): Promise<string>;
  close(): Promise<void>;
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Tokens that must never authenticate, each signed as an attacker could (or with our key, but wrong). */
/** A token issued before its user deleted the account (from another device): it must die with it. */
async function deletedUsersToken(app: TestApp, baseUrl: string): Promise<string> {
  const user = await createTestUser(app, 'fuzz-deleted');
  const otherDevice = await signAccessToken(app, user.id);
  const deleted = await fetch(`${baseUrl}/api/v1/users/me`, {
    method: 'DELETE',
    headers: { authorization: user.bearer },
  });
  if (deleted.status >= 300) throw new Error(`account deletion answered ${deleted.status}`);
  return otherDevice;
}

async function badTokens(app: TestApp, userId: string, baseUrl: string): Promise<Record<string, string>> {
  const jwt = app.app.get(JwtService);
  const { kid, pem } = app.app.get(TokenKeys).signingKey();
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    sub: userId,
    jti: randomUUID(),
    type: 'access',
    iat: now,
    exp: now + 600,
    iss: app.config.string('JWT_ISSUER'),
    aud: app.config.string('JWT_AUDIENCE'),
    provider: 'kakao',
  };
  const ours = (payload: object): Promise<string> =>
    jwt.signAsync(payload, { algorithm: 'RS256', privateKey: pem, keyid: kid });
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
    type: 'pkcs8',
    format: 'pem',
  }) as string;
  const valid = await signAccessToken(app, userId);
  const [header, payload] = valid.split('.');
  const { exp: _exp, ...withoutExp } = claims;
  return {
    garbage: 'garbage',
    'three-dots': 'a.b.c',
    'alg-none': `${base64url({ alg: 'none', typ: 'JWT', kid })}.${payload}.`,
    'other-key': await jwt.signAsync(claims, { algorithm: 'RS256', privateKey: stranger, keyid: kid }),
    'hs256-public-key': await jwt.signAsync(claims, {
      algorithm: 'HS256',
      secret: app.app.get(TokenKeys).publicKeyPem(kid)!,
      keyid: kid,
    }),
    'tampered-payload': `${header}.${base64url({ ...claims, sub: randomUUID() })}.${valid.split('.')[2]}`,
    expired: await ours({ ...claims, iat: now - 7200, exp: now - 3600 }),
    'wrong-audience': await ours({ ...claims, aud: 'someone-else' }),
    'wrong-issuer': await ours({ ...claims, iss: 'https://evil.example' }),
    'refresh-as-access': await ours({ ...claims, type: 'refresh', fam: randomUUID() }),
    'deleted-user': await deletedUsersToken(app, baseUrl),
    'no-exp': await ours(withoutExp),
  };
}

function listenCanary(): Promise<{ server: Server; url: string; hits: () => number }> {
  let hits = 0;
  const server = createServer((_request, response) => {
    hits += 1;
    response.end('canary');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        server,
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        hits: () => hits,
      }),
    ),
  );
}

/** Boots the whole app (every domain and worker role) on `stack` and prepares what the attacks need. */
export async function startFuzzTarget(stack: Stack): Promise<FuzzTarget> {
  const app = await bootTestApp(
    await envFor(stack, {
      LOG_LEVEL: 'fatal',
      // Every request comes from one IP and one attacker: limits would answer most of them with 429
      // before the input is read. The limits have their own tests.
      AUTH_RATE_LIMIT_PER_IP: '1000000',
      AUTH_RATE_LIMIT_PER_ACCOUNT: '1000000',
      IMAGE_UPLOAD_PENDING_LIMIT: '10000',
    }),
  );
  const baseUrl = await listenOnFreePort(app);
  const canary = await listenCanary();
  const doc = (await (await fetch(`${baseUrl}/api/docs-json`)).json()) as OpenApiDocument;
  const attacker = await createTestUser(app, 'fuzz-attacker');
  const victim = await createTestUser(app, 'fuzz-victim');
  const photo = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#3a7' } })
    .jpeg()
    .toBuffer();
  const victimUrl = await uploadScanPhoto(baseUrl, victim, photo);
  const victimScan = await submitScan(baseUrl, victim, { image_url: victimUrl });
  const victimChat = await fetch(`${baseUrl}/api/v1/chat`, {
    method: 'POST',
    headers: { authorization: victim.bearer, 'content-type': 'application/json' },
    body: '{}',
  });
  const ownCdnUrl = await uploadScanPhoto(baseUrl, attacker, photo);
  return {
    stack,
    baseUrl,
    doc,
    context: {
      attacker: attacker.bearer,
      victim: {
        chatId: ((await victimChat.json()) as { id: string }).id,
        scanJobId: String(victimScan.body.job_id),
        cdnUrl: victimUrl,
      },
      ownUpload: { cdnUrl: ownCdnUrl },
      canaryUrl: canary.url,
      // Their own user: a wrongly accepted DELETE /users/me must not end the attacker's session.
      badTokens: await badTokens(app, (await createTestUser(app, 'fuzz-token-target')).id, baseUrl),
    },
    canaryHits: canary.hits,
    freshUser: async () => (await createTestUser(app, 'fuzz-throwaway')).bearer,
    close: async () => {
      canary.server.close();
      await app.close();
    },
  };
}
