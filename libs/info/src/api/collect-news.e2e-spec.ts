import { Logger } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Clock } from '#platform';
import { freePort } from '../../../../test/support/servers.js';
import { bootTestApp, envFor, type Stack, type TestApp } from '../../../../test/support/test-app.js';
import { CollectNews } from './collect-news.js';
import { NewsSources } from './news-sources.js';
import { articlePage, atomFeed, FeedServer, rssFeed } from '../test-support/feed-server.js';

const FETCH_TIMEOUT_MS = 800;

interface ArticleBody {
  url: string;
  title: string;
  source: string;
  category: string;
  thumbnail_url: string | null;
}

describe.each<Stack>(['embedded', 'production'])('news collector (%s adapters)', (stack) => {
  let app: TestApp;
  let server: FeedServer;
  let collector: CollectNews;
  let sources: NewsSources;
  const minutesAgo = (minutes: number): Date => new Date(Date.now() - minutes * 60_000);

  beforeAll(async () => {
    server = await FeedServer.start();
    const configuredFeed = server.route('/configured/rss', {
      body: rssFeed('환경일보', [
        {
          title: '태양광 발전 단지 준공',
          link: server.url('/configured/solar'),
          description: '재생에너지 전력 공급',
          published: minutesAgo(5),
          imageUrl: 'http://img.test/solar.jpg',
        },
      ]),
    });
    server.route('/v1/search/news.json', {
      contentType: 'application/json',
      body: JSON.stringify({
        items: [
          {
            title: '<b>인공지능</b>으로 분리배출 돕는다',
            originallink: 'https://www.naver-news.test/ai-sorting',
            link: 'https://n.news.naver.com/1',
            description: 'AI &amp; 딥러닝 모델',
            pubDate: minutesAgo(10).toUTCString(),
          },
        ],
      }),
    });
    server.route('/api/1/latest', {
      contentType: 'application/json',
      body: JSON.stringify({
        status: 'success',
        results: [
          {
            link: 'https://newsdata.test/climate',
            title: 'Climate talks reach carbon deal',
            description: 'Emissions pledge',
            pubDate: '2025-01-02 03:04:05',
            image_url: 'https://newsdata.test/climate.jpg',
            source_id: 'wire',
            source_name: 'Wire',
            keywords: ['climate'],
          },
        ],
      }),
    });
    app = await bootTestApp(
      await envFor(stack, {
        APP_DOMAINS: 'info',
        APP_ROLE: 'api',
        NEWS_FEED_URLS: configuredFeed,
        NEWS_COLLECT_INTERVAL_SECONDS: '0',
        NEWS_FETCH_TIMEOUT_MS: String(FETCH_TIMEOUT_MS),
        NEWS_OG_IMAGE_TIMEOUT_MS: String(FETCH_TIMEOUT_MS),
        // The local feed server is on loopback, which production refuses for article pages.
        NEWS_PAGE_FETCH_ALLOW_PRIVATE_HOSTS: 'true',
        NAVER_NEWS_CLIENT_ID: 'naver-id',
        NAVER_NEWS_CLIENT_SECRET: 'naver-secret',
        NAVER_NEWS_BASE_URL: server.url(''),
        NEWSDATA_API_KEY: 'newsdata-key',
        NEWSDATA_BASE_URL: server.url(''),
      }),
    );
    collector = app.app.get(CollectNews);
    sources = app.app.get(NewsSources);
  });

  afterAll(async () => {
    await app.close();
    await server.close();
  });

  async function allArticles(): Promise<ArticleBody[]> {
    const response = await app.http.get('/api/v1/info/news').query({ limit: 50 }).expect(200);
    expect(response.body.has_more).toBe(false);
    return response.body.articles;
  }

  it('collects the configured feed and both news APIs, classifying each article by its keywords', async () => {
    const report = await collector.execute();
    expect(report.sources.map((s) => [s.source, s.status])).toEqual([
      [server.url('/configured/rss'), 'fetched'],
      ['naver', 'fetched'],
      ['newsdata', 'fetched'],
    ]);
    const articles = await allArticles();
    expect(articles.find((a) => a.url === server.url('/configured/solar'))).toMatchObject({
      source: 'rss',
      category: 'energy',
      source_name: '환경일보',
      thumbnail_url: 'http://img.test/solar.jpg',
    });
    expect(articles.find((a) => a.url === 'https://www.naver-news.test/ai-sorting')).toMatchObject({
      source: 'naver',
      category: 'ai',
      title: '인공지능으로 분리배출 돕는다',
      source_name: 'naver-news.test',
    });
    expect(articles.find((a) => a.url === 'https://newsdata.test/climate')).toMatchObject({
      source: 'newsdata',
      category: 'environment',
      published_at: '2025-01-02T03:04:05.000Z',
    });
    const naverCall = server.requestsTo('/v1/search/news.json')[0];
    expect(naverCall.headers).toMatchObject({
      'x-naver-client-id': 'naver-id',
      'x-naver-client-secret': 'naver-secret',
    });
  });

  it('reads RSS and Atom, then a second collection gets 304 for both and inserts nothing', async () => {
    const rss = server.route('/etag/rss', {
      etag: '"rss-v1"',
      body: rssFeed('RSS', [
        {
          title: '재활용 정책 발표',
          link: server.url('/etag/a1'),
          published: minutesAgo(20),
          imageUrl: 'http://img.test/1.jpg',
        },
        {
          title: '플라스틱 감축',
          link: server.url('/etag/a2'),
          published: minutesAgo(21),
          imageUrl: 'http://img.test/2.jpg',
        },
      ]),
    });
    const atom = server.route('/etag/atom', {
      etag: '"atom-v1"',
      body: atomFeed('Atom', [
        {
          title: 'Wind farm opens',
          link: server.url('/etag/b1'),
          published: minutesAgo(22),
          imageUrl: 'http://img.test/3.jpg',
        },
      ]),
    });
    const feeds = () => [sources.feed(rss), sources.feed(atom)];

    const first = await collector.collect(feeds());
    expect(first.inserted).toBe(3);
    expect(first.sources.map((s) => s.status)).toEqual(['fetched', 'fetched']);
    const countAfterFirst = (await allArticles()).length;

    const second = await collector.collect(feeds());
    expect(second.sources.map((s) => s.status)).toEqual(['not_modified', 'not_modified']);
    expect(second.inserted).toBe(0);
    expect(server.requestsTo('/etag/rss').at(-1)).toMatchObject({
      status: 304,
      headers: { 'if-none-match': '"rss-v1"' },
    });
    expect(server.requestsTo('/etag/atom').at(-1)).toMatchObject({ status: 304 });
    expect(await allArticles()).toHaveLength(countAfterFirst);
    expect((await allArticles()).find((a) => a.url === server.url('/etag/b1'))).toMatchObject({
      category: 'energy',
    });
  });

  it('stores a story that two feeds link to once', async () => {
    const shared = server.url('/dup/shared-story');
    const a = server.route('/dup/a', {
      body: rssFeed('A', [
        {
          title: '기후 위기 보고서',
          link: shared,
          published: minutesAgo(30),
          imageUrl: 'http://img.test/s.jpg',
        },
        {
          title: '탄소 중립 로드맵',
          link: server.url('/dup/only-a'),
          published: minutesAgo(31),
          imageUrl: 'http://img.test/a.jpg',
        },
      ]),
    });
    const b = server.route('/dup/b', {
      body: atomFeed('B', [
        {
          title: 'Climate report',
          link: shared,
          published: minutesAgo(30),
          imageUrl: 'http://img.test/s2.jpg',
        },
      ]),
    });
    const report = await collector.collect([sources.feed(a), sources.feed(b)]);
    expect(report.inserted).toBe(2);
    const again = await collector.collect([sources.feed(b)]);
    expect(again.inserted).toBe(0);
    expect((await allArticles()).filter((article) => article.url === shared)).toHaveLength(1);
  });

  it('times out a feed that never answers without holding back the others', async () => {
    const slow = server.route('/hang/slow', { hang: true });
    const ok = server.route('/hang/ok', {
      body: rssFeed('OK', [
        {
          title: '폐기물 감축 성과',
          link: server.url('/hang/story'),
          published: minutesAgo(40),
          imageUrl: 'http://img.test/h.jpg',
        },
      ]),
    });
    const started = Date.now();
    const report = await collector.collect([sources.feed(slow), sources.feed(ok)]);
    expect(Date.now() - started).toBeLessThan(FETCH_TIMEOUT_MS + 3000);
    expect(report.sources[0]).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('timed out'),
    });
    expect(report.sources[1]).toMatchObject({ status: 'fetched', inserted: 1 });
    expect((await allArticles()).some((a) => a.url === server.url('/hang/story'))).toBe(true);
  });

  it('gives an item without a picture the og:image of its page, and none when the page has none', async () => {
    server.route('/og/story', { contentType: 'text/html', body: articlePage('/images/story.png') });
    const feed = server.route('/og/feed', {
      body: rssFeed('OG', [
        { title: '환경 캠페인', link: server.url('/og/story'), published: minutesAgo(50) },
        { title: '환경 뉴스 (페이지 없음)', link: server.url('/og/missing'), published: minutesAgo(51) },
      ]),
    });
    await collector.collect([sources.feed(feed)]);
    const articles = await allArticles();
    expect(articles.find((a) => a.url === server.url('/og/story'))?.thumbnail_url).toBe(
      server.url('/images/story.png'),
    );
    expect(articles.find((a) => a.url === server.url('/og/missing'))?.thumbnail_url).toBeNull();
  });

  it('rests an unreachable feed: one attempt, one warning and one count per backoff pause, the others collected each time', async () => {
    const unreachable = `http://127.0.0.1:${await freePort()}/rss`;
    const healthy = server.route('/rest/ok', {
      body: rssFeed('OK', [
        {
          title: '자원순환 소식',
          link: server.url('/rest/story'),
          published: new Date('2026-05-31T00:00:00Z'),
          imageUrl: 'http://img.test/r.jpg',
        },
      ]),
    });
    const clock = vi.spyOn(app.app.get(Clock), 'now');
    const warnings = vi.spyOn(Logger.prototype, 'warn');
    const collectAt = async (minutesLater: number) => {
      clock.mockReturnValue(new Date(Date.parse('2026-06-01T00:00:00Z') + minutesLater * 60_000));
      const report = await collector.collect([sources.feed(unreachable), sources.feed(healthy)]);
      return Object.fromEntries(report.sources.map((s) => [s.source, s.status]));
    };
    const warningsAboutIt = () =>
      warnings.mock.calls.filter(([message]) => String(message).includes(unreachable)).map(([m]) => m);
    try {
      expect(await collectAt(0)).toEqual({ [unreachable]: 'failed', [healthy]: 'fetched' });
      expect(warningsAboutIt()).toEqual([
        expect.stringMatching(/1 in a row, next attempt after 2026-06-01T00:05/),
      ]);
      expect(await failuresCounted(unreachable)).toBe(1);

      // Collections every minute within the 5-minute pause neither ask it nor log it again.
      for (const minute of [1, 2, 4]) {
        expect(await collectAt(minute)).toEqual({ [unreachable]: 'resting', [healthy]: 'fetched' });
      }
      expect(warningsAboutIt()).toHaveLength(1);
      expect(await failuresCounted(unreachable)).toBe(1);

      // After the pause it is tried again; the next pause is twice as long.
      expect(await collectAt(5)).toEqual({ [unreachable]: 'failed', [healthy]: 'fetched' });
      expect(warningsAboutIt()).toEqual([
        expect.anything(),
        expect.stringMatching(/2 in a row, next attempt after 2026-06-01T00:15/),
      ]);
      expect(await failuresCounted(unreachable)).toBe(2);
      expect(await collectAt(14)).toMatchObject({ [unreachable]: 'resting' });
      expect(server.requestsTo('/rest/ok')).toHaveLength(6);
      expect((await allArticles()).some((a) => a.url === server.url('/rest/story'))).toBe(true);
    } finally {
      clock.mockRestore();
      warnings.mockRestore();
    }
  });

  async function failuresCounted(source: string): Promise<number> {
    const { text } = await app.http.get('/metrics').expect(200);
    const line = text.split('\n').find((l) => l.startsWith(`news_source_failures_total{source="${source}"}`));
    return line ? Number(line.split(' ').at(-1)) : 0;
  }

  it('reports a broken feed as failed and keeps collecting', async () => {
    const broken = server.route('/broken/feed', {
      body: '<html>not a feed</html>',
      contentType: 'text/html',
    });
    const gone = server.route('/broken/gone', { status: 500, body: 'oops' });
    const report = await collector.collect([sources.feed(broken), sources.feed(gone)]);
    expect(report.sources.map((s) => s.status)).toEqual(['failed', 'failed']);
    expect(report.inserted).toBe(0);
  });
});
