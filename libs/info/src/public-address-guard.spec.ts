import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchOpenGraphImage } from './api/open-graph-image.js';
import { isPrivateAddress, resolvesToPublicAddresses } from '#platform';

describe('private-address guard for article pages taken from feeds', () => {
  let server: Server;
  let base: string;
  let hits = 0;

  beforeAll(async () => {
    server = createServer((request, response) => {
      hits++;
      if (request.url === '/redirect') {
        response.writeHead(302, { location: '/page' }).end();
        return;
      }
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<meta property="og:image" content="/pic.png">');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('classifies loopback, private, link-local (cloud metadata) and mapped addresses as private', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.0.10',
      '169.254.169.254',
      '::1',
      'fd00::1',
      '::ffff:10.0.0.1',
    ]) {
      expect(isPrivateAddress(address)).toBe(true);
    }
    for (const address of ['8.8.8.8', '211.234.10.5', '2001:4860:4860::8888']) {
      expect(isPrivateAddress(address)).toBe(false);
    }
  });

  it('treats a host that resolves to loopback as private', async () => {
    expect(await resolvesToPublicAddresses('http://localhost:1/x')).toBe(false);
    expect(await resolvesToPublicAddresses('http://[::1]:1/x')).toBe(false);
  });

  it('never requests a private page unless allowed, and follows redirects only through the same checks', async () => {
    const options = { timeoutMs: 2000, maxBytes: 10_000 };
    hits = 0;
    expect(await fetchOpenGraphImage(`${base}/page`, { ...options, allowPrivateHosts: false })).toBeNull();
    expect(hits).toBe(0);
    expect(await fetchOpenGraphImage(`${base}/redirect`, { ...options, allowPrivateHosts: true })).toBe(
      `${base}/pic.png`,
    );
    expect(hits).toBe(2);
  });
});
