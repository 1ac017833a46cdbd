import { OutboundHttpError, outboundGet, type AppConfig, type OutboundLimits } from '#platform';
import { plainText } from './news-text.js';

/** One Naver Open API application: the news collector and the assistant's web search share it. */
export interface NaverCredentials {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
}

/** The configured application (NAVER_NEWS_*), or null when it is not set up. */
export function naverCredentials(config: AppConfig): NaverCredentials | null {
  const clientId = config.optionalString('NAVER_NEWS_CLIENT_ID');
  const clientSecret = config.optionalString('NAVER_NEWS_CLIENT_SECRET');
  if (!clientId || !clientSecret) return null;
  return { baseUrl: config.string('NAVER_NEWS_BASE_URL'), clientId, clientSecret };
}

/** A search result; Naver marks the matched words with `<b>`, which `title` and `description` no longer carry. */
export interface NaverSearchItem {
  title: string;
  link: string;
  description: string;
  /** News: the publisher's page (`link` may be a news.naver.com mirror). */
  originallink?: string;
  /** News: RFC 1123 date. */
  pubDate?: string;
  /** Blog: the blog's name. */
  bloggername?: string;
  /** Blog: `yyyyMMdd`. */
  postdate?: string;
}

export interface NaverSearch {
  /** `news`, `webkr`, `blog`…: the search API's path is `/v1/search/{kind}.json`. */
  kind: string;
  query: string;
  display: number;
  sort?: 'sim' | 'date';
}

/** One Naver Search API call (client id and secret in headers), bounded by the caller's limits. */
export async function naverSearch(
  credentials: NaverCredentials,
  search: NaverSearch,
  limits: OutboundLimits,
  signal?: AbortSignal,
): Promise<NaverSearchItem[]> {
  const url = new URL(`/v1/search/${search.kind}.json`, credentials.baseUrl);
  url.search = new URLSearchParams({
    query: search.query,
    display: String(search.display),
    ...(search.sort ? { sort: search.sort } : {}),
  }).toString();
  const response = await outboundGet({
    url: url.toString(),
    headers: {
      'x-naver-client-id': credentials.clientId,
      'x-naver-client-secret': credentials.clientSecret,
    },
    ...limits,
    signal,
  });
  if (response.status !== 200) {
    throw new OutboundHttpError(`Naver ${search.kind} search: HTTP ${response.status}`);
  }
  const body = JSON.parse(response.body) as { items?: Partial<Record<keyof NaverSearchItem, string>>[] };
  return (body.items ?? []).map((item) => ({
    ...item,
    title: plainText(item.title ?? ''),
    link: item.link ?? '',
    description: plainText(item.description ?? ''),
  }));
}
