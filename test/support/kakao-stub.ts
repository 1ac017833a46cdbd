import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A place as Kakao Local's keyword search returns it (`documents[]`). */
export interface StubPlace {
  id: string;
  place_name: string;
  address_name: string;
  road_address_name: string;
  phone: string;
  place_url: string;
  /** longitude */
  x: string;
  /** latitude */
  y: string;
}

export interface KakaoStub {
  /** Base URL to use as KAKAO_LOCAL_BASE_URL. */
  url: string;
  /** Every request received, for assertions on query parameters and the Authorization header. */
  requests: { url: URL; authorization: string | undefined }[];
  /** Answer after this many milliseconds (timeout drills). */
  delayMs: number;
  close(): Promise<void>;
}

const metres = (lat1: number, lon1: number, lat2: number, lon2: number): number => {
  const rad = Math.PI / 180;
  const h =
    Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
};

/**
 * A local stand-in for `GET /v2/local/search/keyword.json`: requires `Authorization: KakaoAK <key>`,
 * matches `query` against place names ignoring spaces, honours x/y/radius, sort and size, and answers
 * `{documents, meta}` in Kakao's shape.
 */
export async function startKakaoStub(places: StubPlace[], apiKey: string): Promise<KakaoStub> {
  const stub: KakaoStub = { url: '', requests: [], delayMs: 0, close: async () => undefined };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://stub');
    stub.requests.push({ url, authorization: request.headers.authorization });
    const answer = (status: number, body: unknown): void => {
      setTimeout(() => {
        if (response.destroyed) return;
        response.writeHead(status, { 'content-type': 'application/json;charset=UTF-8' });
        response.end(JSON.stringify(body));
      }, stub.delayMs);
    };
    if (url.pathname !== '/v2/local/search/keyword.json') return answer(404, { errorType: 'NotFound' });
    if (request.headers.authorization !== `KakaoAK ${apiKey}`) {
      return answer(401, { errorType: 'AccessDeniedError', message: 'cannot find appkey' });
    }
    const query = (url.searchParams.get('query') ?? '').replace(/\s+/g, '');
    const x = Number(url.searchParams.get('x'));
    const y = Number(url.searchParams.get('y'));
    const radius = Number(url.searchParams.get('radius') ?? 0);
    const near = url.searchParams.has('x') && url.searchParams.has('y');
    const size = Number(url.searchParams.get('size') ?? 15);
    let documents = places
      .filter((p) => p.place_name.replace(/\s+/g, '').includes(query))
      .map((p) => ({
        ...p,
        distance: near ? String(Math.round(metres(y, x, Number(p.y), Number(p.x)))) : '',
      }))
      .filter((p) => !near || !radius || Number(p.distance) <= radius);
    if (url.searchParams.get('sort') === 'distance') {
      documents = documents.sort((a, b) => Number(a.distance) - Number(b.distance));
    }
    answer(200, {
      documents: documents.slice(0, size),
      meta: {
        total_count: documents.length,
        pageable_count: documents.length,
        is_end: true,
        same_name: null,
      },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stub.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return stub;
}
