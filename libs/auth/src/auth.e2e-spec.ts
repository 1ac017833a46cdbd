import { JwtService } from '@nestjs/jwt';
import { createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Clock, TokenKeys, type TokenClaims } from '#platform';
import {
  startOAuthProviderStub,
  type OAuthProviderStub,
  type StubProvider,
} from '../../../test/support/oauth-provider-stub.js';
import { bootTestApp, envFor, type Stack, type TestApp } from '../../../test/support/test-app.js';
import { throwawayRedis } from '../../../test/support/throwaway.js';
import { bearer, cookiesOf, devLogin, pathOf } from './test-support/sessions.js';

const APP_ORIGIN = 'http://localhost:5173';
const DEFAULT_ORIGIN = 'http://localhost:4000';

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const claimsOf = (token: string): TokenClaims =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as TokenClaims;

describe.each<Stack>(['embedded', 'production'])('auth (%s adapters)', (stack) => {
  let stub: OAuthProviderStub;
  let app: TestApp;

  /** GET /auth/{provider}, then the provider's consent: the callback URL the browser would be sent to. */
  async function authorize(
    provider: StubProvider,
    origin = APP_ORIGIN,
  ): Promise<{ callback: string; state: string }> {
    const started = await app.http
      .get(`/api/v1/auth/${provider}`)
      .query({ frontend_origin: origin })
      .expect(200);
    const consent = await fetch(started.body.data.authorization_url, { redirect: 'manual' });
    expect(consent.status).toBe(302);
    return { callback: consent.headers.get('location')!, state: started.body.data.state };
  }

  beforeAll(async () => {
    stub = await startOAuthProviderStub();
    app = await bootTestApp(
      await envFor(stack, {
        APP_DOMAINS: 'auth,my',
        APP_ROLE: 'api',
        PUBLIC_BASE_URL: 'http://api.localhost:3000',
        OAUTH_DEFAULT_FRONTEND_ORIGIN: DEFAULT_ORIGIN,
        OAUTH_HTTP_TIMEOUT_MS: '300',
        ...stub.env(),
      }),
    );
  });

  afterAll(async () => {
    await app.close();
    await stub.close();
  });

  afterEach(() => vi.restoreAllMocks());

  describe('OAuth login', () => {
    it.each<[StubProvider, string, Record<string, string>]>([
      ['kakao', '4101', { nickname: '카카오닉', name: '김카카오', phone: '+82 10-4101-0000' }],
      ['google', '4102', { nickname: 'Goo', name: 'Google Person', email: 'g@example.com' }],
      ['naver', '4103', { nickname: '네이버닉', name: '이네이버', phone: '010-4103-0000' }],
    ])(
      'logs a %s user in through the browser flow: cookies and 302 to #/home',
      async (provider, id, profile) => {
        stub.signInAs(provider, { id, ...profile });
        const started = await app.http
          .get(`/api/v1/auth/${provider}`)
          .set('X-Frontend-Origin', APP_ORIGIN)
          .expect(200);
        expect(started.body).toMatchObject({ success: true, data: { provider, state: expect.any(String) } });
        const authorizationUrl = new URL(started.body.data.authorization_url);
        expect(authorizationUrl.origin + authorizationUrl.pathname).toBe(`${stub.url}/${provider}/authorize`);
        expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe(
          provider === 'naver' ? null : 'S256',
        );
        expect(new Date(started.body.data.expires_at).getTime()).toBeGreaterThan(Date.now() + 590_000);

        const consent = await fetch(authorizationUrl, { redirect: 'manual' });
        const callback = await app.http.get(pathOf(consent.headers.get('location')!)).expect(302);

        expect(callback.headers.location).toBe(`${APP_ORIGIN}/#/home`);
        const cookies = cookiesOf(callback);
        const access = cookies.get('s_access')!;
        expect(access.attributes).toMatchObject({
          httponly: true,
          samesite: 'Lax',
          path: '/',
          'max-age': '1800',
        });
        expect(access.attributes.secure).toBeUndefined(); // COOKIE_SECURE=false in tests
        expect(cookies.get('s_refresh')!.attributes).toMatchObject({ httponly: true, 'max-age': '2592000' });

        const me = await app.http
          .get('/api/v1/users/me')
          .set('Cookie', `s_access=${access.value}`)
          .expect(200);
        expect(me.body).toMatchObject({ username: profile.name, nickname: profile.nickname, provider });
        if (profile.phone) expect(me.body.phone_number).toBe(`010-${id}-0000`);
      },
    );

    it.each<StubProvider>(['kakao', 'google', 'naver'])(
      'logs a %s user in through the native JSON flow',
      async (provider) => {
        stub.signInAs(provider, { id: `52${provider.length}`, nickname: `native ${provider}` });
        const { callback } = await authorize(provider);
        const query = new URL(callback).searchParams;
        const response = await app.http
          .post(`/api/v1/auth/${provider}/token`)
          .send({ code: query.get('code'), state: query.get('state') })
          .expect(200);
        expect(response.body).toMatchObject({
          success: true,
          data: {
            token_type: 'Bearer',
            expires_in: 1800,
            access_token: expect.any(String),
            refresh_token: expect.any(String),
            user: { nickname: `native ${provider}`, provider },
          },
        });
        await app.http.get('/api/v1/users/me').set(bearer(response.body.data.access_token)).expect(200);
      },
    );

    it('finds the same user on the next login and refreshes the provider profile', async () => {
      stub.signInAs('kakao', {
        id: '4201',
        nickname: '첫닉',
        name: '첫이름',
        picture: 'https://img.example/1.png',
      });
      const first = await app.http.get(pathOf((await authorize('kakao')).callback)).expect(302);
      stub.signInAs('kakao', {
        id: '4201',
        nickname: '새닉',
        name: '새이름',
        picture: 'https://img.example/2.png',
      });
      const second = await app.http.get(pathOf((await authorize('kakao')).callback)).expect(302);
      const meOf = async (response: typeof first) =>
        (
          await app.http
            .get('/api/v1/users/me')
            .set('Cookie', `s_access=${cookiesOf(response).get('s_access')!.value}`)
        ).body;
      const [before, after] = [await meOf(first), await meOf(second)];
      expect(after.id).toBe(before.id);
      expect(after).toMatchObject({ username: '새이름', profile_image_url: 'https://img.example/2.png' });
      // The nickname is the user's own (PATCH /me) once set.
      expect(after.nickname).toBe('첫닉');
    });

    it('sends a replayed state to the failure URL without cookies', async () => {
      stub.signInAs('google', { id: '4301' });
      const { callback } = await authorize('google');
      await app.http.get(pathOf(callback)).expect(302);
      const replay = await app.http.get(pathOf(callback)).expect(302);
      expect(replay.headers.location).toBe(`${DEFAULT_ORIGIN}/#/login?error=oauth_failed`);
      expect(replay.headers['set-cookie']).toBeUndefined();
    });

    it('sends an expired state to the failure URL without cookies', async () => {
      stub.signInAs('kakao', { id: '4401' });
      const { callback } = await authorize('kakao');
      const clock = app.app.get(Clock);
      const later = new Date(clock.now().getTime() + 601_000);
      vi.spyOn(clock, 'now').mockReturnValue(later);
      const expired = await app.http.get(pathOf(callback)).expect(302);
      expect(expired.headers.location).toBe(`${DEFAULT_ORIGIN}/#/login?error=oauth_failed`);
      expect(expired.headers['set-cookie']).toBeUndefined();
    });

    it("sends another provider's state to the stored origin's failure URL and burns the state", async () => {
      stub.signInAs('kakao', { id: '4501' });
      const { callback } = await authorize('kakao', 'http://localhost:3001');
      const onGoogle = pathOf(callback).replace('/kakao/callback', '/google/callback');
      const mismatch = await app.http.get(onGoogle).expect(302);
      expect(mismatch.headers.location).toBe('http://localhost:3001/#/login?error=oauth_failed');
      expect(mismatch.headers['set-cookie']).toBeUndefined();
      const late = await app.http.get(pathOf(callback)).expect(302);
      expect(late.headers.location).toContain('#/login?error=oauth_failed');
    });

    it('refuses to redeem a code with another login’s PKCE verifier (the provider checks it)', async () => {
      stub.signInAs('google', { id: '4601' });
      const first = await authorize('google');
      const second = await authorize('google');
      const swapped = new URL(first.callback);
      swapped.searchParams.set('state', second.state);
      const response = await app.http.get(pathOf(swapped.toString())).expect(302);
      expect(response.headers.location).toBe(`${APP_ORIGIN}/#/login?error=oauth_failed`);
      expect(stub.refusals).toContain('PKCE verifier mismatch');
    });

    it('turns provider errors and timeouts into the failure redirect, never a 500', async () => {
      stub.signInAs('naver', { id: '4701' });
      const failures = [
        () => stub.failNext('naver', 'token', { status: 500 }),
        () => stub.failNext('naver', 'token', { status: 200, body: { error: 'invalid_request' } }),
        () =>
          stub.failNext('naver', 'userinfo', {
            status: 200,
            body: { resultcode: '024', message: 'Authentication failed' },
          }),
        () => stub.failNext('naver', 'userinfo', 'hang'),
      ];
      for (const fail of failures) {
        const { callback } = await authorize('naver');
        fail();
        const response = await app.http.get(pathOf(callback)).expect(302);
        expect(response.headers.location).toBe(`${APP_ORIGIN}/#/login?error=oauth_failed`);
        expect(response.headers['set-cookie']).toBeUndefined();
      }
      const { callback } = await authorize('naver');
      await app.http.get(`${pathOf(callback)}&error=access_denied`).expect(302);
    });

    it('answers the native flow with 401 for a bad state and 503 when the provider is unreachable', async () => {
      const unknown = await app.http
        .post('/api/v1/auth/kakao/token')
        .send({ code: 'x', state: 'nope' })
        .expect(401);
      expect(unknown.body).toMatchObject({ code: 'UNAUTHORIZED', request_id: expect.any(String) });
      const { callback } = await authorize('kakao');
      stub.failNext('kakao', 'token', 'hang');
      const query = new URL(callback).searchParams;
      const unreachable = await app.http
        .post('/api/v1/auth/kakao/token')
        .send({ code: query.get('code'), state: query.get('state') })
        .expect(503);
      expect(unreachable.headers['retry-after']).toBeDefined();
    });

    it('refuses an origin or redirect URI outside the allow-lists', async () => {
      const byQuery = await app.http
        .get('/api/v1/auth/kakao')
        .query({ frontend_origin: 'https://evil.example' })
        .expect(400);
      expect(byQuery.body.details).toEqual([{ field: 'frontend_origin', message: 'origin is not allowed' }]);
      await app.http.get('/api/v1/auth/kakao').set('X-Frontend-Origin', 'https://evil.example').expect(400);
      await app.http
        .get('/api/v1/auth/kakao')
        .query({
          frontend_origin: APP_ORIGIN,
          redirect_uri: 'https://evil.example/api/v1/auth/kakao/callback',
        })
        .expect(400);
      await app.http
        .get('/api/v1/auth/kakao')
        .query({ frontend_origin: APP_ORIGIN, redirect_uri: '/api/v1/users/me' })
        .expect(400);
    });

    it('accepts a relative redirect URI and 404s an unknown provider', async () => {
      const started = await app.http
        .get('/api/v1/auth/kakao')
        .query({ frontend_origin: APP_ORIGIN, redirect_uri: '/api/v1/auth/kakao/callback' })
        .expect(200);
      const redirect = new URL(
        new URL(started.body.data.authorization_url).searchParams.get('redirect_uri')!,
      );
      expect(redirect.pathname).toBe('/api/v1/auth/kakao/callback');
      await app.http.get('/api/v1/auth/github').query({ frontend_origin: APP_ORIGIN }).expect(404);
    });

    describe('with no provider credentials (the embedded default on a laptop)', () => {
      let laptop: TestApp;

      beforeAll(async () => {
        laptop = await bootTestApp({
          ...app.env,
          KAKAO_CLIENT_ID: '',
          GOOGLE_CLIENT_ID: '',
          NAVER_CLIENT_ID: '',
        });
      });

      afterAll(() => laptop.close());

      it.each<StubProvider>(['kakao', 'naver'])(
        'logs a %s user in through the stand-in and the same callback',
        async (provider) => {
          const started = await laptop.http
            .get(`/api/v1/auth/${provider}`)
            .query({ frontend_origin: APP_ORIGIN })
            .expect(200);
          const authorizationUrl = new URL(started.body.data.authorization_url);
          expect(`${authorizationUrl.origin}${authorizationUrl.pathname}`).toBe(
            'http://api.localhost:3000/api/v1/auth/dev/authorize',
          );
          const consent = await laptop.http
            .get(`${pathOf(authorizationUrl.toString())}&nickname=노트북`)
            .expect(302);
          const callback = await laptop.http.get(pathOf(consent.headers.location)).expect(302);
          expect(callback.headers.location).toBe(`${APP_ORIGIN}/#/home`);
          const access = cookiesOf(callback).get('s_access')!.value;
          const me = await laptop.http.get('/api/v1/users/me').set(bearer(access)).expect(200);
          expect(me.body).toMatchObject({ nickname: '노트북', provider });
          // The stand-in's code is single use, like a provider's.
          await laptop.http
            .get(pathOf(consent.headers.location))
            .expect(302)
            .expect((r) => expect(r.headers.location).toContain('#/login?error=oauth_failed'));
        },
      );

      it('redirects only to the redirect URI stored with a live state', async () => {
        const started = await laptop.http
          .get('/api/v1/auth/google')
          .query({ frontend_origin: APP_ORIGIN })
          .expect(200);
        const authorizationUrl = new URL(started.body.data.authorization_url);
        authorizationUrl.searchParams.set('redirect_uri', 'https://evil.example/steal');
        await laptop.http.get(pathOf(authorizationUrl.toString())).expect(400);
        authorizationUrl.searchParams.set('state', 'made-up');
        await laptop.http.get(pathOf(authorizationUrl.toString())).expect(400);
      });
    });

    describe('with NODE_ENV=production', () => {
      let production: TestApp;

      beforeAll(async () => {
        production = await bootTestApp({
          ...app.env,
          NODE_ENV: 'production',
          KAKAO_CLIENT_ID: '',
          COOKIE_SECURE: 'true',
          COOKIE_DOMAIN: 'example.test',
          OAUTH_FRONTEND_ORIGINS: 'https://app.example.test',
        });
      });

      afterAll(() => production.close());

      it('has no dev routes and no stand-in provider', async () => {
        const login = await production.http
          .post('/api/v1/auth/dev/login')
          .send({ nickname: 'x' })
          .expect(404);
        expect(login.body).toMatchObject({ code: 'NOT_FOUND' });
        await production.http
          .get('/api/v1/auth/dev/authorize')
          .query({
            provider: 'kakao',
            state: 's',
            redirect_uri: 'http://api.localhost:3000/api/v1/auth/kakao/callback',
          })
          .expect(404);
        await production.http
          .get('/api/v1/auth/kakao')
          .query({ frontend_origin: 'https://app.example.test' })
          .expect(503);
      });

      it('logs in through a configured provider with Secure, Domain-scoped cookies, for allowed origins only', async () => {
        await production.http.get('/api/v1/auth/google').query({ frontend_origin: APP_ORIGIN }).expect(400);
        stub.signInAs('google', { id: '4801', name: 'Prod User' });
        const started = await production.http
          .get('/api/v1/auth/google')
          .query({ frontend_origin: 'https://app.example.test' })
          .expect(200);
        const consent = await fetch(started.body.data.authorization_url, { redirect: 'manual' });
        const callback = await production.http.get(pathOf(consent.headers.get('location')!)).expect(302);
        expect(callback.headers.location).toBe('https://app.example.test/#/home');
        for (const name of ['s_access', 's_refresh']) {
          expect(cookiesOf(callback).get(name)!.attributes).toMatchObject({
            secure: true,
            domain: 'example.test',
            httponly: true,
            samesite: 'Lax',
          });
        }
      });
    });
  });

  /** Signs with the app's real private key: only the claims under test are wrong. */
  function signWithAppKey(claims: Partial<TokenClaims>, base: TokenClaims): string {
    const { kid, pem } = app.app.get(TokenKeys).signingKey();
    return app.app
      .get(JwtService)
      .sign({ ...base, jti: randomUUID(), ...claims }, { algorithm: 'RS256', privateKey: pem, keyid: kid });
  }

  const me = (token: string) => app.http.get('/api/v1/users/me').set(bearer(token));

  describe('the guard', () => {
    let session: Awaited<ReturnType<typeof devLogin>>;
    let claims: TokenClaims;

    beforeAll(async () => {
      session = await devLogin(app, 'guarded');
      claims = claimsOf(session.accessToken);
    });

    it('accepts a genuine access token from the header or the s_access cookie, and nothing at all is 401', async () => {
      await me(session.accessToken).expect(200);
      await app.http.get('/api/v1/users/me').set('Cookie', `s_access=${session.accessToken}`).expect(200);
      // The forging helper itself yields an accepted token, so each refusal below is the attack's doing.
      await me(signWithAppKey({}, claims)).expect(200);
      const missing = await app.http.get('/api/v1/users/me').expect(401);
      expect(missing.body).toMatchObject({ code: 'UNAUTHORIZED', request_id: expect.any(String) });
    });

    it('refuses alg none', async () => {
      const [header, payload] = session.accessToken.split('.');
      const kid = JSON.parse(Buffer.from(header!, 'base64url').toString()).kid;
      await me(`${base64url({ alg: 'none', typ: 'JWT', kid })}.${payload}.`).expect(401);
    });

    it('refuses an HS256 token signed with the RS256 public key', async () => {
      const keys = app.app.get(TokenKeys);
      const signingInput = `${base64url({ alg: 'HS256', typ: 'JWT', kid: keys.currentKid })}.${base64url(claims)}`;
      const signature = createHmac('sha256', keys.publicKeyPem(keys.currentKid)!)
        .update(signingInput)
        .digest('base64url');
      await me(`${signingInput}.${signature}`).expect(401);
    });

    it('refuses a tampered signature and a tampered payload', async () => {
      const [header, payload, signature] = session.accessToken.split('.');
      const flipped = `${signature!.slice(0, -2)}${signature!.endsWith('AA') ? 'BB' : 'AA'}`;
      await me(`${header}.${payload}.${flipped}`).expect(401);
      const otherUser = base64url({ ...claims, sub: randomUUID() });
      await me(`${header}.${otherUser}.${signature}`).expect(401);
    });

    it('refuses an expired token with TOKEN_EXPIRED', async () => {
      const now = Math.floor(Date.now() / 1000);
      const expired = await me(
        signWithAppKey({ iat: now - 3600, nbf: now - 3600, exp: now - 60 }, claims),
      ).expect(401);
      expect(expired.body.code).toBe('TOKEN_EXPIRED');
    });

    it('refuses a token not yet valid, for another issuer or for another audience', async () => {
      const now = Math.floor(Date.now() / 1000);
      await me(signWithAppKey({ nbf: now + 600 }, claims)).expect(401);
      await me(signWithAppKey({ iss: 'someone-else' }, claims)).expect(401);
      await me(signWithAppKey({ aud: 'another-app' }, claims)).expect(401);
    });

    it.each(['exp', 'iat', 'iss', 'aud', 'type', 'jti'] as const)(
      'refuses a correctly signed token without %s',
      async (claim) => {
        const { [claim]: _left, ...rest } = { ...claims, jti: randomUUID() };
        const { kid, pem } = app.app.get(TokenKeys).signingKey();
        // noTimestamp: the library would otherwise add the iat this test leaves out.
        const token = app.app
          .get(JwtService)
          .sign(rest, { algorithm: 'RS256', privateKey: pem, keyid: kid, noTimestamp: true });
        expect(claimsOf(token)).not.toHaveProperty(claim);
        await me(token).expect(401);
        await me(signWithAppKey({}, claims)).expect(200);
      },
    );

    it('refuses a refresh token used as an access token', async () => {
      await me(session.refreshToken).expect(401);
      await app.http.get('/api/v1/users/me').set('Cookie', `s_access=${session.refreshToken}`).expect(401);
    });

    it('refuses a blacklisted jti with TOKEN_REVOKED', async () => {
      const victim = await devLogin(app, 'blacklisted');
      await me(victim.accessToken).expect(200);
      await app.http.post('/api/v1/auth/logout').set(bearer(victim.accessToken)).expect(200);
      const revoked = await me(victim.accessToken).expect(401);
      expect(revoked.body.code).toBe('TOKEN_REVOKED');
    });
  });

  describe('refresh', () => {
    it('rotates the pair; the old refresh token then gets 401 and revokes the new pair too', async () => {
      const login = await devLogin(app, 'rotator');
      const rotated = await app.http
        .post('/api/v1/auth/refresh')
        .set('Cookie', `s_refresh=${login.refreshToken}`)
        .expect(200);
      expect(rotated.body).toEqual({ success: true, data: { token_type: 'Bearer', expires_in: 1800 } });
      const cookies = cookiesOf(rotated);
      const [access, refresh] = [cookies.get('s_access')!.value, cookies.get('s_refresh')!.value];
      expect(refresh).not.toBe(login.refreshToken);
      expect(claimsOf(refresh)).toMatchObject({
        type: 'refresh',
        fam: claimsOf(login.refreshToken).fam,
        provider: 'kakao',
      });
      await me(access).expect(200);

      const reused = await app.http
        .post('/api/v1/auth/refresh')
        .set('Cookie', `s_refresh=${login.refreshToken}`)
        .expect(401);
      expect(reused.body.code).toBe('TOKEN_REVOKED');
      await app.http.post('/api/v1/auth/refresh').set('Cookie', `s_refresh=${refresh}`).expect(401);
      await me(access).expect(401);
    });

    it('gives native clients the new pair in the body (X-Refresh-Token header or body field)', async () => {
      const login = await devLogin(app, 'native');
      const byHeader = await app.http
        .post('/api/v1/auth/refresh')
        .set('X-Refresh-Token', `Bearer ${login.refreshToken}`)
        .expect(200);
      expect(byHeader.body.data).toMatchObject({
        access_token: expect.any(String),
        refresh_token: expect.any(String),
      });
      const byBody = await app.http
        .post('/api/v1/auth/refresh')
        .send({ refresh_token: byHeader.body.data.refresh_token })
        .expect(200);
      await me(byBody.body.data.access_token).expect(200);
    });

    it('answers 401 when there is no valid refresh token', async () => {
      const login = await devLogin(app, 'no-refresh');
      await app.http.post('/api/v1/auth/refresh').expect(401);
      await app.http.post('/api/v1/auth/refresh').set('Cookie', 's_refresh=garbage').expect(401);
      await app.http.post('/api/v1/auth/refresh').set('Cookie', `s_refresh=${login.accessToken}`).expect(401);
      const now = Math.floor(Date.now() / 1000);
      const expired = signWithAppKey(
        { iat: now - 7200, nbf: now - 7200, exp: now - 10 },
        claimsOf(login.refreshToken),
      );
      await app.http.post('/api/v1/auth/refresh').send({ refresh_token: expired }).expect(401);
    });
  });

  describe('logout', () => {
    it('answers {success: true} with no cookies or bad ones, and clears the cookies', async () => {
      const bare = await app.http.post('/api/v1/auth/logout').expect(200);
      expect(bare.body).toEqual({ success: true });
      for (const name of ['s_access', 's_refresh']) {
        expect(cookiesOf(bare).get(name)).toMatchObject({ value: '', attributes: { path: '/' } });
      }
      await app.http
        .post('/api/v1/auth/logout')
        .set('Cookie', 's_access=bad; s_refresh=worse')
        .expect(200)
        .expect((r) => expect(r.body).toEqual({ success: true }));
    });

    it('revokes the access token at once and the whole family', async () => {
      const login = await devLogin(app, 'leaver');
      await app.http
        .post('/api/v1/auth/logout')
        .set('Cookie', `s_access=${login.accessToken}; s_refresh=${login.refreshToken}`)
        .expect(200);
      await me(login.accessToken).expect(401);
      await app.http.post('/api/v1/auth/refresh').send({ refresh_token: login.refreshToken }).expect(401);
    });

    it('ends the login even when only the access token is presented', async () => {
      const login = await devLogin(app, 'half-leaver');
      await app.http.post('/api/v1/auth/logout').set(bearer(login.accessToken)).expect(200);
      await app.http.post('/api/v1/auth/refresh').send({ refresh_token: login.refreshToken }).expect(401);
    });
  });

  describe('keys', () => {
    it('publishes the signing key in the JWKS under the kid the tokens carry', async () => {
      const login = await devLogin(app, 'jwks');
      const kid = JSON.parse(Buffer.from(login.accessToken.split('.')[0]!, 'base64url').toString()).kid;
      const jwks = await app.http.get('/api/v1/auth/.well-known/jwks.json').expect(200);
      expect(jwks.body.keys).toEqual([
        expect.objectContaining({ kid, kty: 'RSA', alg: 'RS256', use: 'sig' }),
      ]);
      expect(jwks.body.keys[0]).not.toHaveProperty('d');
    });

    it('keeps accepting tokens of the previous key after a rotation, and lists both keys', async () => {
      const before = await devLogin(app, 'rotation');
      const keys = app.app.get(TokenKeys);
      const fresh = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
        type: 'pkcs8',
        format: 'pem',
      });
      const rotated = await bootTestApp({
        ...app.env,
        JWT_PRIVATE_KEY: fresh.toString(),
        JWT_KEY_ID: 'key-2',
        JWT_PREVIOUS_PUBLIC_KEY: keys.publicKeyPem(keys.currentKid),
        JWT_PREVIOUS_KEY_ID: keys.currentKid,
      });
      try {
        const jwks = await rotated.http.get('/api/v1/auth/.well-known/jwks.json').expect(200);
        expect(jwks.body.keys.map((k: { kid: string }) => k.kid)).toEqual(['key-2', keys.currentKid]);
        await rotated.http.get('/api/v1/users/me').set(bearer(before.accessToken)).expect(200);
        const after = await devLogin(rotated, 'rotation');
        expect(JSON.parse(Buffer.from(after.accessToken.split('.')[0]!, 'base64url').toString()).kid).toBe(
          'key-2',
        );
      } finally {
        await rotated.close();
      }
    });
  });

  describe('rate limits', () => {
    let limited: TestApp;

    beforeAll(async () => {
      limited = await bootTestApp({
        ...app.env,
        TRUST_PROXY: 'true',
        AUTH_RATE_LIMIT_PER_IP: '5',
        AUTH_RATE_LIMIT_PER_ACCOUNT: '2',
        REDIS_KEY_PREFIX: `${app.env.REDIS_KEY_PREFIX ?? ''}limits:`,
      });
    });

    afterAll(() => limited.close());

    it('answers 429 RATE_LIMITED with Retry-After once an IP exceeds its budget', async () => {
      const from = (ip: string) =>
        limited.http
          .get('/api/v1/auth/kakao')
          .set('X-Forwarded-For', ip)
          .query({ frontend_origin: 'http://localhost:5173' });
      for (let i = 0; i < 5; i += 1) await from('203.0.113.1').expect(200);
      const refused = await from('203.0.113.1').expect(429);
      expect(refused.body).toMatchObject({ code: 'RATE_LIMITED' });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
      await from('203.0.113.2').expect(200);
    });

    it('limits logins per account whatever the IP', async () => {
      const login = (ip: string) =>
        limited.http.post('/api/v1/auth/dev/login').set('X-Forwarded-For', ip).send({ nickname: 'hammered' });
      await login('198.51.100.1').expect(200);
      await login('198.51.100.2').expect(200);
      const refused = await login('198.51.100.3').expect(429);
      expect(refused.headers['retry-after']).toBeDefined();
    });

    if (stack === 'production') {
      it('shares the counters between instances through Redis', async () => {
        const twin = await bootTestApp(limited.env);
        try {
          const from = (instance: TestApp) =>
            instance.http
              .get('/api/v1/auth/naver')
              .set('X-Forwarded-For', '203.0.113.9')
              .query({ frontend_origin: 'http://localhost:5173' });
          for (const instance of [limited, twin, limited, twin, limited]) await from(instance).expect(200);
          await from(twin).expect(429);
        } finally {
          await twin.close();
        }
      });
    }
  });

  if (stack === 'production') {
    it('revokes on logout at once on another instance sharing Redis', async () => {
      const twin = await bootTestApp(app.env);
      try {
        const login = await devLogin(app, 'two-pods');
        await twin.http.get('/api/v1/users/me').set(bearer(login.accessToken)).expect(200);
        await app.http.post('/api/v1/auth/logout').set(bearer(login.accessToken)).expect(200);
        const revoked = await twin.http.get('/api/v1/users/me').set(bearer(login.accessToken)).expect(401);
        expect(revoked.body.code).toBe('TOKEN_REVOKED');
      } finally {
        await twin.close();
      }
    });

    it('fails closed with 503 when the blacklist store (Redis) is down', async () => {
      const redis = await throwawayRedis();
      let redisRunning = true;
      const isolated = await bootTestApp({ ...app.env, REDIS_URL: redis.url });
      try {
        const login = await devLogin(isolated, 'redis-outage');
        await isolated.http.get('/api/v1/users/me').set(bearer(login.accessToken)).expect(200);
        await redis.stop();
        redisRunning = false;
        const down = await isolated.http.get('/api/v1/users/me').set(bearer(login.accessToken)).expect(503);
        expect(down.body).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
        expect(down.headers['retry-after']).toBeDefined();
        await isolated.http
          .post('/api/v1/auth/refresh')
          .send({ refresh_token: login.refreshToken })
          .expect(503);
      } finally {
        await isolated.close();
        // Throwaway.stop() waits for an exit that already happened when called twice, so only once.
        if (redisRunning) await redis.stop();
      }
    });
  }
});
