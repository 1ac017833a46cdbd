import { createServer, type ServerResponse } from 'node:http';
import { Redis } from 'ioredis';
import { appendsChannelOf, parseAppended } from '../../libs/platform/src/kv/redis-key-value-store.js';

/*
 * The SSE fan-out baseline: a bare node:http server in its own process, fed by the same Redis pub/sub
 * announcements as the app (one subscription, a map of open streams by list key), writing each event
 * as it arrives. No auth, no database, no replay, no framework: what pushing events costs at least.
 * `GET /events/<jobId>` streams the events of `scan:events:<jobId>` and ends after `done`/`error`.
 * Prints its port on stdout.
 */

const prefix = process.env.REDIS_KEY_PREFIX!;
const streams = new Map<string, Set<ServerResponse>>();
const subscriber = new Redis(process.env.REDIS_URL!);
subscriber.on('message', (_channel: string, message: string) => {
  const { key, value } = parseAppended(message);
  const open = streams.get(key);
  if (!open) return;
  const event = JSON.parse(value) as { seq: number; stage: string; status: string };
  const closing = event.status === 'failed' || event.stage === 'done';
  const frame = `id: ${event.seq}\nevent: ${event.status === 'failed' ? 'error' : event.stage}\ndata: ${value}\n\n`;
  for (const response of open) {
    response.write(frame);
    if (closing) response.end();
  }
  if (closing) streams.delete(key);
});
await subscriber.subscribe(appendsChannelOf(prefix));

const server = createServer((request, response) => {
  const jobId = /^\/events\/([^/]+)$/.exec(request.url ?? '')?.[1];
  if (!jobId) {
    response.writeHead(404).end();
    return;
  }
  const key = `scan:events:${jobId}`;
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
  });
  response.flushHeaders();
  let open = streams.get(key);
  if (!open) streams.set(key, (open = new Set()));
  open.add(response);
  request.on('close', () => open.delete(response));
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.on('SIGTERM', () => {
  subscriber.disconnect();
  process.exit(0);
});
