import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootTestApp, envFor, type Stack, type TestApp } from '../../../test/support/test-app.js';

describe.each<Stack>(['embedded', 'production'])('character catalog (%s adapters)', (stack) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await bootTestApp(await envFor(stack, { APP_DOMAINS: 'character', APP_ROLE: 'api' }));
  });

  afterAll(() => app.close());

  it('lists the 13 characters without a token, each with the fields the app reads', async () => {
    const response = await app.http.get('/api/v1/character/catalog').expect(200);
    expect(response.body).toHaveLength(13);
    const names = response.body.map((c: { name: string }) => c.name);
    expect(new Set(names)).toEqual(
      new Set([
        '페이피',
        '팩토리',
        '페티',
        '메탈리',
        '비니',
        '글래시',
        '코튼',
        '플리',
        '일렉',
        '배리',
        '라이티',
        '폼이',
        '이코',
      ]),
    );
    for (const character of response.body) {
      expect(Object.keys(character).sort()).toEqual(['code', 'dialog', 'image_url', 'match', 'name', 'type']);
    }
  });

  it('maps each recyclable middle category to exactly one character', async () => {
    const response = await app.http.get('/api/v1/character/catalog').expect(200);
    const petty = response.body.find((c: { match: string }) => c.match === '무색페트병');
    expect(petty).toMatchObject({ code: 'char-petty', name: '페티' });
    const labels = response.body.map((c: { match: string }) => c.match);
    expect(new Set(labels).size).toBe(13);
  });

  it('returns one character by code and 404s an unknown code with the envelope', async () => {
    await app.http
      .get('/api/v1/character/catalog/char-petty')
      .expect(200)
      .expect((r) => expect(r.body.name).toBe('페티'));
    const missing = await app.http.get('/api/v1/character/catalog/char-nope').expect(404);
    expect(missing.body).toMatchObject({ code: 'NOT_FOUND', request_id: expect.any(String) });
  });
});
