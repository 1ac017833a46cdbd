import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './servers.js';
import { takeViolations } from './unit-isolation.js';

describe('unit isolation guard (setup of the unit project)', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((_request, response) => response.end('own'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('lets a test talk to a server of its own process', async () => {
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('own');
    expect(takeViolations()).toEqual([]);
  });

  it('refuses a connection to any other port, as PostgreSQL, Redis or RabbitMQ clients would open', async () => {
    for (const target of [5432, 6379, 5672, await freePort()]) {
      expect(() => net.connect(target, '127.0.0.1')).toThrow(/unit tests must not connect/);
    }
    await expect(fetch(`http://127.0.0.1:${await freePort()}/`)).rejects.toThrow();
    expect(() => net.connect({ path: '/var/run/postgresql/.s.PGSQL.5432' })).toThrow(/socket/);
    // Recorded too, so a client that swallows the error and retries still fails its test.
    expect(takeViolations()).toHaveLength(6);
  });

  it('refuses a connection to a port of its own process once that server closed', async () => {
    const other = createServer();
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const { port: closed } = other.address() as AddressInfo;
    await new Promise<void>((resolve) => other.close(() => resolve()));
    expect(() => net.connect(closed, '127.0.0.1')).toThrow(/unit tests must not connect/);
    expect(takeViolations()).toHaveLength(1);
  });

  it('refuses to start a process', () => {
    expect(() => spawn('redis-server', ['--port', '0'])).toThrow(/start a process \(redis-server\)/);
    expect(takeViolations()).toHaveLength(1);
  });
});
