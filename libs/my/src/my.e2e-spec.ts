import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ImageUploads } from '#storage';
import { bootTestApp, envFor, type Stack, type TestApp } from '../../../test/support/test-app.js';
import { signAccessToken } from '../../../test/support/test-tokens.js';
import { bearer, cookiesOf, devLogin } from '../../auth/src/testing.js';

describe.each<Stack>(['embedded', 'production'])('my (%s adapters)', (stack) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await bootTestApp(await envFor(stack, { APP_DOMAINS: 'auth,my', APP_ROLE: 'api' }));
  });

  afterAll(() => app.close());

  afterEach(() => vi.restoreAllMocks());

  const rowsOf = (table: string, column: string, userId: string): Promise<number> =>
    app.app
      .get(DataSource)
      .createQueryBuilder()
      .from(table, 't')
      .where(`t.${column} = :userId`, { userId })
      .getCount();

  it('returns the profile with the fields the app reads', async () => {
    const login = await devLogin(app, '프로필', 'naver');
    const me = await app.http.get('/api/v1/users/me').set(bearer(login.accessToken)).expect(200);
    expect(me.body).toEqual({
      id: login.userId,
      username: '프로필',
      nickname: '프로필',
      display_name: '프로필',
      phone_number: null,
      profile_image_url: null,
      provider: 'naver',
      last_login_at: expect.any(String),
    });
  });

  it("shows the identity of the token's provider, else the most recently used one", async () => {
    const login = await devLogin(app, '둘다', 'naver');
    const older = new Date(Date.now() - 86_400_000);
    await app.app
      .get(DataSource)
      .getRepository('SocialAccount')
      .insert({
        id: randomUUID(),
        userId: login.userId,
        provider: 'kakao',
        providerUserId: `kakao-${login.userId}`,
        lastLoginAt: older,
        createdAt: older,
        updatedAt: older,
      });
    const asKakao = await app.http
      .get('/api/v1/users/me')
      .set(bearer(await signAccessToken(app, login.userId, 'kakao')))
      .expect(200);
    expect(asKakao.body).toMatchObject({ provider: 'kakao' });
    expect(Date.parse(asKakao.body.last_login_at)).toBe(older.getTime());
    const asGoogle = await app.http
      .get('/api/v1/users/me')
      .set(bearer(await signAccessToken(app, login.userId, 'google')))
      .expect(200);
    expect(asGoogle.body).toMatchObject({ provider: 'naver' });
    expect(Date.parse(asGoogle.body.last_login_at)).toBeGreaterThan(older.getTime());
  });

  it('updates the nickname and normalises the phone number', async () => {
    const login = await devLogin(app, '변경전');
    const updated = await app.http
      .patch('/api/v1/users/me')
      .set(bearer(login.accessToken))
      .send({ nickname: '  변경후 ', phone_number: '+82 10 2000 0001' })
      .expect(200);
    expect(updated.body).toMatchObject({
      nickname: '변경후',
      display_name: '변경후',
      username: '변경전',
      phone_number: '010-2000-0001',
    });
    const me = await app.http.get('/api/v1/users/me').set(bearer(login.accessToken)).expect(200);
    expect(me.body.phone_number).toBe('010-2000-0001');
  });

  it('reads a field sent as null as not sent: no change is a 400, never a 500', async () => {
    const login = await devLogin(app, '널보냄');
    await app.http
      .patch('/api/v1/users/me')
      .set(bearer(login.accessToken))
      .send({ phone_number: '010-3100-0001' })
      .expect(200);
    const onlyNull = await app.http
      .patch('/api/v1/users/me')
      .set(bearer(login.accessToken))
      .send({ phone_number: null })
      .expect(400);
    expect(onlyNull.body).toMatchObject({ code: 'VALIDATION_ERROR', message: 'No changes provided' });
    const withNickname = await app.http
      .patch('/api/v1/users/me')
      .set(bearer(login.accessToken))
      .send({ nickname: '널이름', phone_number: null })
      .expect(200);
    expect(withNickname.body).toMatchObject({ nickname: '널이름', phone_number: '010-3100-0001' });
  });

  it('refuses a NUL character with 400 (PostgreSQL text cannot hold it), never a 500', async () => {
    const login = await devLogin(app, '널문자');
    const response = await app.http
      .patch('/api/v1/users/me')
      .set(bearer(login.accessToken))
      .send({ nickname: 'eco\u0000' })
      .expect(400);
    expect(response.body.details).toEqual([expect.objectContaining({ field: 'nickname' })]);
    await app.http.post('/api/v1/auth/dev/login').send({ nickname: '\u0000' }).expect(400);
  });

  it('refuses a body nested 2 000 levels deep with 400 on public and protected routes', async () => {
    const login = await devLogin(app, '깊은중첩');
    const deep = `{"z":${'['.repeat(2000)}${']'.repeat(2000)}}`;
    for (const call of [
      app.http.post('/api/v1/auth/logout'),
      app.http.patch('/api/v1/users/me').set(bearer(login.accessToken)),
    ]) {
      const response = await call.set('Content-Type', 'application/json').send(deep);
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        code: 'VALIDATION_ERROR',
        message: 'JSON body nested deeper than 32 levels',
        request_id: expect.any(String),
      });
    }
  });

  it('answers 400 for no change or a bad number, and 409 for a number another user holds', async () => {
    const holder = await devLogin(app, '번호주인');
    const other = await devLogin(app, '번호탐냄');
    await app.http
      .patch('/api/v1/users/me')
      .set(bearer(holder.accessToken))
      .send({ phone_number: '010-3000-0001' })
      .expect(200);

    const empty = await app.http
      .patch('/api/v1/users/me')
      .set(bearer(other.accessToken))
      .send({})
      .expect(400);
    expect(empty.body.code).toBe('VALIDATION_ERROR');
    const bad = await app.http
      .patch('/api/v1/users/me')
      .set(bearer(other.accessToken))
      .send({ phone_number: '02-123-4567' })
      .expect(400);
    expect(bad.body.details).toEqual([expect.objectContaining({ field: 'phone_number' })]);
    const taken = await app.http
      .patch('/api/v1/users/me')
      .set(bearer(other.accessToken))
      .send({ phone_number: '01030000001' })
      .expect(409);
    expect(taken.body).toMatchObject({ code: 'CONFLICT', request_id: expect.any(String) });
    // Saving one's own number again is not a conflict.
    await app.http
      .patch('/api/v1/users/me')
      .set(bearer(holder.accessToken))
      .send({ phone_number: '010-3000-0001' })
      .expect(200);
  });

  it('lists owned characters as a bare array in which a new user owns 이코', async () => {
    const login = await devLogin(app, '새내기');
    const owned = await app.http
      .get('/api/v1/users/me/characters')
      .set(bearer(login.accessToken))
      .expect(200);
    expect(owned.body).toEqual([
      {
        id: expect.any(String),
        code: 'char-eco',
        name: '이코',
        type: expect.any(String),
        dialog: expect.any(String),
        acquired_at: expect.any(String),
      },
    ]);
  });

  it('grants 이코 exactly once under 20 concurrent first calls', async () => {
    const login = await devLogin(app, '동시접속');
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        app.http.get('/api/v1/users/me/characters').set(bearer(login.accessToken)),
      ),
    );
    for (const response of responses) {
      expect(response.status).toBe(200);
      expect(response.body.map((c: { name: string }) => c.name)).toEqual(['이코']);
    }
    expect(await rowsOf('character_ownerships', 'user_id', login.userId)).toBe(1);
  });

  it('answers ownership per character name; an unknown name is not owned', async () => {
    const login = await devLogin(app, '소유확인');
    await app.http.get('/api/v1/users/me/characters').set(bearer(login.accessToken)).expect(200);
    const ownership = (name: string) =>
      app.http
        .get(`/api/v1/users/me/characters/${encodeURIComponent(name)}/ownership`)
        .set(bearer(login.accessToken))
        .expect(200);
    expect((await ownership('이코')).body).toEqual({ character_name: '이코', owned: true });
    expect((await ownership('페티')).body).toEqual({ character_name: '페티', owned: false });
    expect((await ownership('없는캐릭터')).body).toEqual({ character_name: '없는캐릭터', owned: false });
  });

  it('deletes the account: its rows go, every login’s tokens fail, its images are queued for deletion', async () => {
    const phone = await devLogin(app, '탈퇴자');
    const laptop = await devLogin(app, '탈퇴자');
    expect(laptop.userId).toBe(phone.userId);
    const userId = phone.userId;
    await app.http.get('/api/v1/users/me/characters').set(bearer(phone.accessToken)).expect(200);
    const queued = vi.spyOn(app.app.get(ImageUploads), 'queueDeletionForUser');

    await app.http.delete('/api/v1/users/me').set(bearer(phone.accessToken)).expect(204);

    expect(queued).toHaveBeenCalledWith(userId);
    expect(await rowsOf('users', 'id', userId)).toBe(0);
    for (const table of [
      'social_accounts',
      'character_ownerships',
      'refresh_token_families',
      'login_audits',
    ]) {
      expect(await rowsOf(table, 'user_id', userId)).toBe(0);
    }
    for (const session of [phone, laptop]) {
      const refused = await app.http.get('/api/v1/users/me').set(bearer(session.accessToken)).expect(401);
      expect(refused.body.code).toBe('TOKEN_REVOKED');
      await app.http.post('/api/v1/auth/refresh').send({ refresh_token: session.refreshToken }).expect(401);
    }
    const again = await devLogin(app, '탈퇴자');
    expect(again.userId).not.toBe(userId);
  });

  it('refuses, on every route, a token a second device held from before its refresh once the account is deleted', async () => {
    const phone = await devLogin(app, '기기둘');
    const tablet = await devLogin(app, '기기둘');
    const refreshed = await app.http
      .post('/api/v1/auth/refresh')
      .set('Cookie', `s_refresh=${tablet.refreshToken}`)
      .expect(200);
    const tabletNow = cookiesOf(refreshed).get('s_access')!.value;
    const tabletBefore = tablet.accessToken;
    await app.http.get('/api/v1/users/me').set(bearer(tabletBefore)).expect(200);

    await app.http.delete('/api/v1/users/me').set(bearer(phone.accessToken)).expect(204);

    for (const token of [tabletBefore, tabletNow, phone.accessToken]) {
      for (const request of [
        app.http.get('/api/v1/users/me'),
        // Inserts the default character for a new user: a deleted one must not reach the foreign key.
        app.http.get('/api/v1/users/me/characters'),
        app.http.patch('/api/v1/users/me').send({ nickname: '유령' }),
        app.http.delete('/api/v1/users/me'),
      ]) {
        const refused = await request.set(bearer(token)).expect(401);
        expect(refused.body.code).toBe('TOKEN_REVOKED');
      }
    }
  });
});
