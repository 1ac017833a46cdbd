import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppProcess, type AppProcess } from '../../../test/support/app-process.js';
import { freePort } from '../../../test/support/servers.js';
import { waitUntil } from '../../../test/support/wait.js';
import { DEFAULT_NEWS_FEED_URLS } from './info.env.js';
import { FeedServer, rssFeed } from './test-support/feed-server.js';

const ROUTE_URLS = new URL('../../../test/support/route-urls.mjs', import.meta.url).pathname;
const INTERVAL_SECONDS = 5;

interface NewsPage {
  articles: { url: string; title: string; source: string; source_name: string }[];
}

/**
 * `npm start` with nothing configured about news: the collector reads the built-in public feeds. The
 * spawned process reaches them through local stand-ins (a preload routes their URLs, as a hosts file
 * would): the first default feed answers with a Google-News-shaped RSS document, the second is
 * unreachable (a closed port), as it is on a machine without the internet.
 */
describe('news on first start (real process, default feeds)', () => {
  let standIn: FeedServer;
  let app: AppProcess;
  let unreachable: string;

  beforeAll(async () => {
    standIn = await FeedServer.start();
    const reachable = standIn.route('/google-news/search', {
      body: rssFeed('"분리배출 OR 재활용 OR 기후" - Google 뉴스', [
        {
          title: '아파트 분리배출 요일제 시행 - 환경일보',
          link: standIn.url('/articles/1'),
          description: '투명 페트병 별도 배출',
          published: new Date(Date.now() - 3_600_000),
          imageUrl: 'http://img.test/1.jpg',
        },
      ]),
    });
    unreachable = `http://127.0.0.1:${await freePort()}/rss`;
    app = await startAppProcess({
      NODE_OPTIONS: `--import ${ROUTE_URLS}`,
      ECO2_TEST_URL_ROUTES: JSON.stringify({
        [DEFAULT_NEWS_FEED_URLS[0]]: reachable,
        [DEFAULT_NEWS_FEED_URLS[1]]: unreachable,
      }),
      NEWS_COLLECT_INTERVAL_SECONDS: String(INTERVAL_SECONDS),
    });
    await app.waitForReady();
  });

  afterAll(async () => {
    await app?.stop();
    await standIn?.close();
  });

  const news = async (): Promise<NewsPage> =>
    (await (await fetch(`${app.baseUrl}/api/v1/info/news`)).json()) as NewsPage;

  it('shows the default feed’s articles in /api/v1/info/news after the first collection', async () => {
    await waitUntil(async () => (await news()).articles.length > 0, 30_000, 'articles in the news feed');
    // The first collection (at boot) brought them: the default feed has been asked once, no second cycle yet.
    expect(standIn.requestsTo('/google-news/search')).toHaveLength(1);
    expect((await news()).articles).toEqual([
      expect.objectContaining({
        url: standIn.url('/articles/1'),
        title: '아파트 분리배출 요일제 시행 - 환경일보',
        source: 'rss',
      }),
    ]);
  });

  it('logs the unreachable default feed once per backoff pause and counts it, while the other is collected every cycle', async () => {
    const requestsBefore = standIn.requestsTo('/google-news/search').length;
    await waitUntil(
      async () => standIn.requestsTo('/google-news/search').length >= requestsBefore + 3,
      INTERVAL_SECONDS * 5_000,
      'three more collection cycles',
    );
    const failureLines = app.output.filter(
      (line) =>
        line.includes('news source') && line.includes(DEFAULT_NEWS_FEED_URLS[1]) && line.includes('failed'),
    );
    expect(failureLines).toHaveLength(1);
    expect(JSON.parse(failureLines[0])).toMatchObject({ msg: expect.stringContaining('1 in a row') });
    const metrics = await (await fetch(`${app.baseUrl}/metrics`)).text();
    expect(metrics).toContain(`news_source_failures_total{source="${DEFAULT_NEWS_FEED_URLS[1]}"} 1`);
  });
});
