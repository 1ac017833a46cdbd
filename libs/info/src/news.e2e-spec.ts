import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootTestApp, envFor, type Stack, type TestApp } from '../../../test/support/test-app.js';
import { NEWS_CATEGORIES, NEWS_SOURCES, NewsArticle } from './news-article.entity.js';
import { NewsRepository } from './news.repository.js';

const TIMESTAMPS = 50;
const PER_TIMESTAMP = 10;

interface ArticleBody {
  id: string;
  published_at: string;
  category: string;
  source: string;
  thumbnail_url: string | null;
}

interface NewsPageBody {
  articles: ArticleBody[];
  has_more: boolean;
  next_cursor: string | null;
}

describe.each<Stack>(['embedded', 'production'])('news feed (%s adapters)', (stack) => {
  let app: TestApp;
  let fixtures: NewsArticle[];

  beforeAll(async () => {
    app = await bootTestApp(await envFor(stack, { APP_DOMAINS: 'info', APP_ROLE: 'api' }));
    // 500 articles in 50 groups of 10 sharing one timestamp, spread over categories, sources and images.
    const newest = Date.parse('2025-03-01T09:00:00.000Z');
    fixtures = Array.from({ length: TIMESTAMPS * PER_TIMESTAMP }, (_, i) =>
      Object.assign(new NewsArticle(), {
        id: randomUUID(),
        url: `https://news.example/${i}`,
        title: `article ${i}`,
        snippet: 'snippet',
        source: NEWS_SOURCES[i % 3],
        sourceName: 'Example',
        sourceIconUrl: null,
        thumbnailUrl: i % 2 === 0 ? `https://img.example/${i}.jpg` : null,
        category: NEWS_CATEGORIES[Math.floor(i / 3) % 3],
        keywords: ['환경'],
        publishedAt: new Date(newest - Math.floor(i / PER_TIMESTAMP) * 60_000),
        createdAt: new Date(),
      }),
    );
    const stored = await app.app.get(NewsRepository).insertNew(fixtures);
    expect(stored).toHaveLength(fixtures.length);
  });

  afterAll(() => app.close());

  async function readAll(query: Record<string, string | number | boolean>): Promise<ArticleBody[][]> {
    const pages: ArticleBody[][] = [];
    let cursor: string | null = null;
    do {
      const page: NewsPageBody = (
        await app.http
          .get('/api/v1/info/news')
          .query({ ...query, ...(cursor ? { cursor } : {}) })
          .expect(200)
      ).body;
      pages.push(page.articles);
      expect(page.has_more).toBe(page.next_cursor !== null);
      cursor = page.next_cursor;
    } while (cursor !== null && pages.length < 1000);
    return pages;
  }

  function expectNewestFirst(articles: ArticleBody[]): void {
    const times = articles.map((a) => Date.parse(a.published_at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  }

  it('pages over 500 articles sharing timestamps yield each exactly once, newest first (acceptance 6)', async () => {
    const pages = await readAll({ limit: 7 });
    const ids = pages.flat().map((a) => a.id);
    expect(ids).toHaveLength(fixtures.length);
    expect(new Set(ids)).toEqual(new Set(fixtures.map((f) => f.id)));
    expectNewestFirst(pages.flat());
    expect(pages.slice(0, -1).every((page) => page.length === 7)).toBe(true);
  });

  it('applies category, source and has_image before the limit, so filtered pages are full and complete', async () => {
    const expected = fixtures.filter(
      (f) => f.category === 'energy' && f.source === 'naver' && f.thumbnailUrl !== null,
    );
    expect(expected.length).toBeGreaterThan(20);
    const pages = await readAll({ category: 'energy', source: 'naver', has_image: true, limit: 4 });
    const articles = pages.flat();
    expect(articles.map((a) => a.id).sort()).toEqual(expected.map((f) => f.id).sort());
    expect(articles.every((a) => a.category === 'energy' && a.source === 'naver' && a.thumbnail_url)).toBe(
      true,
    );
    expect(pages.slice(0, -1).every((page) => page.length === 4)).toBe(true);
    expectNewestFirst(articles);
  });

  it('answers the contract shape without a token, with meta', async () => {
    const response = await app.http.get('/api/v1/info/news').expect(200);
    expect(response.body.articles).toHaveLength(10);
    expect(Object.keys(response.body.articles[0]).sort()).toEqual(
      [
        'category',
        'id',
        'keywords',
        'published_at',
        'snippet',
        'source',
        'source_icon_url',
        'source_name',
        'thumbnail_url',
        'title',
        'url',
      ].sort(),
    );
    expect(response.body).toMatchObject({
      has_more: true,
      next_cursor: expect.any(String),
      meta: { total_cached: fixtures.length, cache_expires_in: expect.any(Number) },
    });
    const filtered = await app.http.get('/api/v1/info/news').query({ category: 'ai' }).expect(200);
    expect(filtered.body.meta.total_cached).toBe(fixtures.filter((f) => f.category === 'ai').length);
  });

  it.each([
    [{ category: 'sports' }, 'category'],
    [{ cursor: 'not-a-cursor' }, 'cursor'],
    [{ cursor: Buffer.from(JSON.stringify(['yesterday', 'x'])).toString('base64url') }, 'cursor'],
    [{ limit: 0 }, 'limit'],
    [{ limit: 51 }, 'limit'],
    [{ source: 'twitter' }, 'source'],
    [{ has_image: 'maybe' }, 'has_image'],
  ])('refuses %o with 400 naming %s', async (query, field) => {
    const response = await app.http.get('/api/v1/info/news').query(query).expect(400);
    expect(response.body).toMatchObject({ code: 'VALIDATION_ERROR', request_id: expect.any(String) });
    expect(response.body.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('lists the category tabs at /news/categories and /categories', async () => {
    const expected = {
      categories: [
        { id: 'all', name: '전체' },
        { id: 'environment', name: '환경' },
        { id: 'energy', name: '에너지' },
        { id: 'ai', name: 'AI' },
      ],
    };
    expect((await app.http.get('/api/v1/info/news/categories').expect(200)).body).toEqual(expected);
    expect((await app.http.get('/api/v1/info/categories').expect(200)).body).toEqual(expected);
  });
});
