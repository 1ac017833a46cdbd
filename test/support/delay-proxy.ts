import { connect, createServer, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a real server that can make it slow on demand: every chunk, both ways, is
 * forwarded `delayMs` late (in order). With a delay of 0 it is a plain proxy. For drills that need a
 * dependency slow enough that a request or a periodic run is still inside it when a signal arrives.
 */
export interface DelayProxy {
  port: number;
  /** Slows every open and future connection from now on. */
  setDelay(delayMs: number): void;
  close(): Promise<void>;
}

export async function startDelayProxy(target: { host: string; port: number }): Promise<DelayProxy> {
  let delayMs = 0;
  const sockets = new Set<Socket>();
  const forward = (from: Socket, to: Socket): void => {
    // Each chunk is due no earlier than the one before it, so a changed delay never reorders bytes.
    let lastDue = 0;
    from.on('data', (chunk) => {
      const due = Math.max(Date.now() + delayMs, lastDue);
      lastDue = due;
      setTimeout(() => to.destroyed || to.write(chunk), due - Date.now());
    });
    from.on('end', () => setTimeout(() => to.end(), Math.max(0, lastDue - Date.now())));
    from.on('error', () => to.destroy());
    from.on('close', () => sockets.delete(from));
  };
  const server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    for (const socket of [client, upstream]) sockets.add(socket);
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    setDelay: (ms) => (delayMs = ms),
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
