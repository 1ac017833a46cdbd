import type { EnvVarSpec } from '#platform';

// The query stays readable in `.env.example`: `+` for spaces, Hangul left for fetch() to percent-encode.
const googleNewsKoreanSearch = (query: string): string =>
  `https://news.google.com/rss/search?q=${query.replaceAll(' ', '+')}&hl=ko&gl=KR&ceid=KR:ko`;

/**
 * What a fresh install collects with no news source configured: Google News searches in Korean
 * (public RSS, no key), one on separation and recycling, one on climate and the circular economy.
 * Every item links to the publisher's article and names it in `<source>`.
 */
export const DEFAULT_NEWS_FEED_URLS: readonly string[] = [
  googleNewsKoreanSearch('분리배출 OR 재활용 OR 기후'),
  googleNewsKoreanSearch('탄소중립 OR 자원순환 OR 플라스틱 쓰레기'),
];

/** The Naver Open API application of the news collector; the chat assistant's web search uses it too. */
export const NAVER_SEARCH_ENV: readonly EnvVarSpec[] = [
  // Not NAVER_CLIENT_ID: that is the Naver *login* app (auth), and setting it switches login off the
  // stand-in provider. The news search API may use the same Naver application or another one.
  {
    name: 'NAVER_NEWS_CLIENT_ID',
    kind: 'string',
    description:
      'Naver Open API client id for news search; with NAVER_NEWS_CLIENT_SECRET enables Naver news collection',
  },
  {
    name: 'NAVER_NEWS_CLIENT_SECRET',
    kind: 'string',
    secret: true,
    description: 'Naver Open API client secret for news search',
  },
  {
    name: 'NAVER_NEWS_BASE_URL',
    kind: 'url',
    default: 'https://openapi.naver.com',
    description: 'base URL of the Naver Open API (tests point it at a local stub)',
  },
];

export const INFO_ENV: readonly EnvVarSpec[] = [
  {
    name: 'NEWS_FEED_URLS',
    kind: 'list',
    default: DEFAULT_NEWS_FEED_URLS.join(','),
    emptyMeansNone: true,
    description:
      'comma list of RSS 2.0 / Atom feed URLs the news collector reads; unset: public keyless Korean ' +
      'Google News searches on recycling and climate; set empty (NEWS_FEED_URLS=) to collect no feeds',
  },
  {
    name: 'NEWS_COLLECT_INTERVAL_SECONDS',
    kind: 'int',
    default: '900',
    min: 0,
    description:
      'seconds between news collections (one replica per interval, by a key-value lock); 0 disables the schedule',
  },
  {
    name: 'NEWS_FETCH_TIMEOUT_MS',
    kind: 'int',
    default: '10000',
    min: 100,
    description: 'deadline of each feed or news-API request, body included',
  },
  {
    name: 'NEWS_FEED_MAX_BYTES',
    kind: 'int',
    default: '5242880',
    min: 1024,
    description: 'largest feed or news-API response read; larger ones are skipped',
  },
  {
    name: 'NEWS_OG_IMAGE_TIMEOUT_MS',
    kind: 'int',
    default: '3000',
    min: 100,
    description: 'deadline of fetching an article page for its Open Graph image',
  },
  {
    name: 'NEWS_OG_IMAGE_MAX_BYTES',
    kind: 'int',
    default: '262144',
    min: 1024,
    description: 'bytes of an article page read while looking for its og:image',
  },
  {
    name: 'NEWS_PAGE_FETCH_ALLOW_PRIVATE_HOSTS',
    kind: 'bool',
    default: 'false',
    description:
      'let the og:image fetch of article pages (URLs from feed content) reach private/loopback addresses',
  },
  ...NAVER_SEARCH_ENV,
  {
    name: 'NEWSDATA_API_KEY',
    kind: 'string',
    secret: true,
    description: 'NewsData.io API key; enables NewsData news collection',
  },
  {
    name: 'NEWSDATA_BASE_URL',
    kind: 'url',
    default: 'https://newsdata.io',
    description: 'base URL of the NewsData.io API (tests point it at a local stub)',
  },
];
