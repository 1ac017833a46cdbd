import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';

/** A GET as the stub received it. */
export interface RecordedGet {
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
}

export interface StubAnswer {
  status?: number;
  contentType?: string;
  /** Sent as is when a string, else as JSON. */
  body: unknown;
  /** Answer this late (the client's deadline or abort applies). */
  delayMs?: number;
}

export type RouteHandler = (request: RecordedGet) => StubAnswer;

export interface OutsideApiStub {
  baseUrl: string;
  /** Every GET received, in order. */
  requests: RecordedGet[];
  /** Answers GETs of `path` (exact match, query ignored); unknown paths get 404. */
  route(path: string, handler: RouteHandler): void;
  reset(): void;
  close(): Promise<void>;
}

/**
 * A local HTTP server standing in for outside GET APIs (data.go.kr services, Naver Search): the tests
 * give each route the real service's response shape and read back what the real client sent.
 */
export async function startOutsideApiStub(): Promise<OutsideApiStub> {
  const routes = new Map<string, RouteHandler>();
  const requests: RecordedGet[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => void answer(req, res));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stub');
    const recorded: RecordedGet = { path: url.pathname, query: url.searchParams, headers: req.headers };
    requests.push(recorded);
    const handler = req.method === 'GET' ? routes.get(url.pathname) : undefined;
    const reply = handler ? handler(recorded) : { status: 404, body: { error: 'no route' } };
    if (reply.delayMs) {
      const hungUp = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), reply.delayMs);
        res.once('close', () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      if (hungUp) return;
    }
    const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    res.writeHead(reply.status ?? 200, {
      'content-type': reply.contentType ?? (typeof reply.body === 'string' ? 'text/xml' : 'application/json'),
    });
    res.end(text);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    route: (path, handler) => void routes.set(path, handler),
    reset: () => {
      routes.clear();
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
