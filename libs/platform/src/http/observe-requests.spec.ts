import Fastify from 'fastify';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { register } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { observeRequests } from './observe-requests.js';

interface Line {
  level: number;
  msg: string;
  request_id?: string;
  req?: { method: string; url: string };
  res?: { statusCode: number };
  responseTime?: number;
  aborted?: boolean;
}

async function observedServer() {
  const lines: Line[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Line) });
  let n = 0;
  const fastify = Fastify({ genReqId: () => `req-${++n}` });
  observeRequests(fastify, logger);
  fastify.get('/api/v1/things/:id', async () => ({ ok: true }));
  fastify.get('/api/v1/broken', async (_request, reply) => reply.code(503).send({ code: 'DOWN' }));
  fastify.get('/health/live', async () => ({ status: 'ok' }));
  let releaseSlow = (): void => {};
  const slowReleased = new Promise<void>((resolve) => (releaseSlow = resolve));
  let slowStarted = (): void => {};
  const slowRunning = new Promise<void>((resolve) => (slowStarted = resolve));
  fastify.get('/api/v1/slow', async () => {
    slowStarted();
    await slowReleased;
    return { ok: true };
  });
  fastify.get('/api/v1/stream', (_request, reply) => {
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream' });
    reply.raw.write(': open\n\n');
  });
  await fastify.ready();
  return { fastify, lines, slowRunning, releaseSlow };
}

afterEach(() => register.resetMetrics());

describe('observeRequests', () => {
  it('echoes the request id and logs one line per request when it ends, without the query', async () => {
    const { fastify, lines } = await observedServer();
    const response = await fastify.inject({ url: '/api/v1/things/7?secret=1' });
    expect(response.headers['x-request-id']).toBe('req-1');
    await fastify.inject({ url: '/api/v1/broken' });
    await fastify.inject({ url: '/health/live' });
    // Counted and logged after the turn of the event loop in which the requests ended.
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toEqual([
      expect.objectContaining({
        level: 30,
        msg: 'request completed',
        request_id: 'req-1',
        req: { method: 'GET', url: '/api/v1/things/7' },
        res: { statusCode: 200 },
        responseTime: expect.any(Number),
      }),
      expect.objectContaining({ level: 50, msg: 'request errored', res: { statusCode: 503 } }),
    ]);
    const metrics = await register.metrics();
    expect(metrics).toMatch(/route="\/api\/v1\/things\/:id",status_code="200"} 1/);
    expect(metrics).toMatch(/route="\/health\/live",status_code="200"} 1/);
    await fastify.close();
  });

  it('counts and logs a hijacked stream the client left as aborted', async () => {
    const { fastify, lines } = await observedServer();
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    const { port } = fastify.server.address() as AddressInfo;
    await new Promise<void>((resolve, reject) => {
      const client = request({ port, path: '/api/v1/stream' }, (response) => {
        response.once('data', () => {
          client.destroy();
          resolve();
        });
      });
      client.once('error', reject);
      client.end();
    });
    await expect.poll(() => lines.length).toBe(1);
    expect(lines[0]).toMatchObject({ msg: 'request aborted', aborted: true, res: { statusCode: 200 } });
    expect(await register.metrics()).toMatch(/route="\/api\/v1\/stream",status_code="200"} 1/);
    await fastify.close();
  });

  it('logs a request the client gave up on once, as aborted, not again when its answer comes', async () => {
    const { fastify, lines, slowRunning, releaseSlow } = await observedServer();
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    const { port } = fastify.server.address() as AddressInfo;
    const client = request({ port, path: '/api/v1/slow' });
    client.once('error', () => {});
    client.end();
    await slowRunning;
    client.destroy();
    await expect.poll(() => lines.length).toBe(1);
    releaseSlow();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lines).toEqual([
      expect.objectContaining({
        msg: 'request aborted',
        aborted: true,
        req: { method: 'GET', url: '/api/v1/slow' },
      }),
    ]);
    expect(await register.metrics()).toMatch(/route="\/api\/v1\/slow",status_code="200"} 1/);
    await fastify.close();
  });
});
