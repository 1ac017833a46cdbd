import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootTestApp, envFor, type Stack, type TestApp } from '../../../test/support/test-app.js';

describe.each<Stack>(['embedded', 'production'])('guides and item search (%s adapters)', (stack) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await bootTestApp(await envFor(stack, { APP_DOMAINS: 'info', APP_ROLE: 'api' }));
  });

  afterAll(() => app.close());

  it('lists the 18 disposal guides with ASCII keys, without a token', async () => {
    const response = await app.http.get('/api/v1/info/guides').expect(200);
    expect(response.body.guides).toHaveLength(18);
    for (const guide of response.body.guides) {
      expect(Object.keys(guide).sort()).toEqual([
        'english',
        'key',
        'major_category',
        'middle_category',
        'name',
      ]);
      expect(guide.key).toMatch(/^[a-z_]+$/);
    }
    expect(response.body.guides).toContainEqual(
      expect.objectContaining({
        key: 'recyclable_clear_pet_bottles',
        major_category: '재활용폐기물',
        middle_category: '무색페트병',
      }),
    );
  });

  it('returns the full rule document by key and 404s an unknown key with the envelope', async () => {
    const response = await app.http.get('/api/v1/info/guides/recyclable_batteries').expect(200);
    expect(response.body).toMatchObject({ key: 'recyclable_batteries', middle_category: '전지' });
    expect(response.body.document).toMatchObject({ key: '전지', category: '재활용폐기물' });
    expect(response.body.document.세부_품목['1차전지']).toContain('수은전지');
    const missing = await app.http.get('/api/v1/info/guides/plutonium').expect(404);
    expect(missing.body).toMatchObject({ code: 'NOT_FOUND', request_id: expect.any(String) });
  });

  it('searches an item and links the guide (acceptance 5 over HTTP)', async () => {
    const response = await app.http.get('/api/v1/info/search').query({ q: 'pizza box' }).expect(200);
    expect(response.body.query).toBe('pizza box');
    expect(response.body.results[0]).toEqual({
      major_category: '재활용폐기물',
      middle_category: '종이',
      item: '골판지류',
      guide_key: 'recyclable_paper',
      score: 1,
    });
    const spaced = await app.http.get('/api/v1/info/search').query({ q: '투명 페트병' }).expect(200);
    expect(spaced.body.results[0]).toMatchObject({ middle_category: '무색페트병' });
  });

  it.each([[''], ['x'.repeat(101)], ['  !! ']])('refuses q=%j with 400', async (q) => {
    const response = await app.http.get('/api/v1/info/search').query({ q }).expect(400);
    expect(response.body.details[0]).toMatchObject({ field: 'q' });
  });

  it('refuses a missing q with 400', async () => {
    const response = await app.http.get('/api/v1/info/search').expect(400);
    expect(response.body.details.map((d: { field: string }) => d.field)).toContain('q');
  });
});
