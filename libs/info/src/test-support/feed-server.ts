import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the local server answers on one path. */
export interface FeedRoute {
  body?: string;
  contentType?: string;
  status?: number;
  /** Sent as ETag; a request whose If-None-Match equals it gets 304 with no body. */
  etag?: string;
  /** Never answers: for timeout drills. */
  hang?: boolean;
}

export interface RecordedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  status: number;
}

/**
 * A local HTTP server playing feed publishers, article pages and news APIs, so collector tests
 * exercise real sockets, timeouts and conditional GETs without the internet.
 */
export class FeedServer {
  readonly requests: RecordedRequest[] = [];
  private readonly routes = new Map<string, FeedRoute>();
  private server?: Server;
  private baseUrl = '';

  static async start(): Promise<FeedServer> {
    const feedServer = new FeedServer();
    const server = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      const route = feedServer.routes.get(path);
      const record = (status: number): void => {
        feedServer.requests.push({ path, headers: request.headers, status });
      };
      if (route?.hang) return record(0);
      if (!route) {
        record(404);
        response.writeHead(404).end();
        return;
      }
      if (route.etag && request.headers['if-none-match'] === route.etag) {
        record(304);
        response.writeHead(304, { etag: route.etag }).end();
        return;
      }
      const status = route.status ?? 200;
      record(status);
      response
        .writeHead(status, {
          'content-type': route.contentType ?? 'application/xml; charset=utf-8',
          ...(route.etag ? { etag: route.etag } : {}),
        })
        .end(route.body ?? '');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    feedServer.server = server;
    feedServer.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return feedServer;
  }

  url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  route(path: string, route: FeedRoute): string {
    this.routes.set(path, route);
    return this.url(path);
  }

  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((request) => request.path === path);
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export interface FeedEntry {
  title: string;
  link: string;
  description?: string;
  published: Date;
  imageUrl?: string;
}

export function rssFeed(title: string, entries: FeedEntry[]): string {
  const items = entries
    .map(
      (entry) => `<item>
  <title><![CDATA[${entry.title}]]></title>
  <link>${entry.link}</link>
  <guid>${entry.link}</guid>
  <description>${escapeXml(`<p>${entry.description ?? ''}</p>`)}</description>
  <pubDate>${entry.published.toUTCString()}</pubDate>
  ${entry.imageUrl ? `<media:thumbnail url="${entry.imageUrl}"/>` : ''}
</item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>${escapeXml(title)}</title><link>http://example.test/</link><description>test</description>
${items}
</channel></rss>`;
}

export function atomFeed(title: string, entries: FeedEntry[]): string {
  const items = entries
    .map(
      (entry) => `<entry>
  <title type="text">${escapeXml(entry.title)}</title>
  <link rel="alternate" href="${entry.link}"/>
  ${entry.imageUrl ? `<link rel="enclosure" type="image/jpeg" href="${entry.imageUrl}"/>` : ''}
  <id>${entry.link}</id>
  <updated>${entry.published.toISOString()}</updated>
  <summary type="html">${escapeXml(entry.description ?? '')}</summary>
</entry>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>${escapeXml(title)}</title><id>urn:test</id>
<updated>${new Date(0).toISOString()}</updated>
${items}
</feed>`;
}

export function articlePage(ogImage: string): string {
  return `<!doctype html><html><head><title>article</title>
<meta property="og:title" content="article">
<meta content="${ogImage}" property="og:image">
</head><body>${'text '.repeat(100)}</body></html>`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
