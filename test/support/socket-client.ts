import WebSocket, { type ClientOptions } from 'ws';

/** A frame as the server sends it: `{event, id?, data}`. */
export interface SocketFrame {
  event: string;
  id?: number;
  data: Record<string, unknown>;
}

export interface TestSocket {
  /** Every frame received so far, in order. */
  frames: SocketFrame[];
  send(body: unknown): void;
  /** Resolves with the first frame (from `after` on) that `matches`; rejects if the socket closes first. */
  next(matches: (frame: SocketFrame) => boolean, after?: number): Promise<SocketFrame>;
  /** Resolves with the close code once the socket is closed (by either side). */
  closed: Promise<number>;
  close(): Promise<number>;
  raw: WebSocket;
}

/** A refused upgrade: the HTTP status and body the server answered instead of switching protocols. */
export class RefusedUpgrade extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`upgrade refused with ${status}`);
  }
}

/** Opens a WebSocket with the `ws` client; rejects with a RefusedUpgrade when the server refuses it. */
export function openSocket(url: string, options: ClientOptions = {}): Promise<TestSocket> {
  const raw = new WebSocket(url, options);
  const frames: SocketFrame[] = [];
  const waiters = new Set<() => void>();
  let closeCode: number | null = null;
  const closed = new Promise<number>((resolve) =>
    raw.once('close', (code) => {
      closeCode = code;
      resolve(code);
      for (const wake of waiters) wake();
    }),
  );
  raw.on('message', (data) => {
    frames.push(JSON.parse(String(data)) as SocketFrame);
    for (const wake of waiters) wake();
  });
  const socket: TestSocket = {
    frames,
    raw,
    closed,
    send: (body) => raw.send(typeof body === 'string' ? body : JSON.stringify(body)),
    next: (matches, after = 0) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const found = frames.slice(after).find(matches);
          if (found) {
            waiters.delete(check);
            resolve(found);
          } else if (closeCode !== null) {
            waiters.delete(check);
            reject(new Error(`socket closed (${closeCode}) before the frame came`));
          }
        };
        waiters.add(check);
        check();
      }),
    close: () => {
      raw.close();
      return closed;
    },
  };
  return new Promise((resolve, reject) => {
    raw.once('open', () => resolve(socket));
    raw.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      response.on('end', () => {
        raw.terminate();
        reject(new RefusedUpgrade(response.statusCode ?? 0, body));
      });
    });
    raw.once('error', reject);
  });
}
