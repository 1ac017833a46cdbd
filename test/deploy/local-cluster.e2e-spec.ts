/**
 * The rendered workloads really boot (issue 7 acceptance 2 and 6). scripts/cluster/local-cluster.mjs
 * renders every overlay and starts the nine deployments as processes with exactly the env each overlay
 * renders (ConfigMap + literal env, the Secret's keys replaced by local values, service hosts mapped to
 * loopback) on this run's PostgreSQL schema, Redis prefix, RabbitMQ vhost and S3 server, behind the path
 * router built from the rendered Ingress rules. Then, for every workload: the probe paths answer 200,
 * the dependencies its readiness checks are reachable under its NetworkPolicy, every Ingress path
 * routed to it answers something other than 404 through the router (and 404 on a pod of another
 * domain), and a scan goes end to end through the router (auth → images → scan → AI worker → result).
 */
import sharp from 'sharp';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startCluster, type LocalCluster } from '../../scripts/cluster/local-cluster.mjs';
import { openSocket, RefusedUpgrade } from '../support/socket-client.js';
import { productionEnv } from '../support/test-app.js';
import { WORKLOADS, render, type K8sObject } from './deploy-helpers.js';

let cluster: LocalCluster;
const base = (): string => `http://127.0.0.1:${cluster.routerPort}`;
const portOf = (name: string): number => cluster.workloads.find((w) => w.name === name)!.port;

beforeAll(async () => {
  const env = await productionEnv();
  cluster = await startCluster({
    port: 0,
    basePort: 0,
    overrides: { ...env, LOG_LEVEL: 'warn' },
    bootTimeoutMs: 150_000,
    log: () => undefined,
  });
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
}, 60_000);

/** Dependencies a pod's readiness reports → the NetworkPolicy egress that must allow them. */
const EGRESS_FOR: Record<string, string> = { postgres: '5432', redis: '6379', rabbitmq: '5672', s3: '443' };

describe('local cluster from the rendered overlays', () => {
  it('starts all nine workloads with their overlay env flags', () => {
    expect(cluster.workloads.map((w) => w.name).sort()).toEqual(WORKLOADS.map((w) => w.name).sort());
    for (const w of WORKLOADS) {
      const env = cluster.workloads.find((x) => x.name === w.name)!.env;
      expect(env.APP_ROLE).toBe(w.role);
      for (const [k, v] of Object.entries(w.flag)) expect(env[k]).toBe(v);
    }
  });

  it.each(WORKLOADS.map((w) => w.name))(
    '%s answers its liveness and readiness probe paths with 200',
    async (name) => {
      const live = await fetch(`http://127.0.0.1:${portOf(name)}/health/live`);
      expect(live.status).toBe(200);
      const ready = await fetch(`http://127.0.0.1:${portOf(name)}/health/ready`);
      expect({ name, status: ready.status, body: ready.status === 200 ? '' : await ready.text() }).toEqual({
        name,
        status: 200,
        body: '',
      });
      const metrics = await fetch(`http://127.0.0.1:${portOf(name)}/metrics`);
      expect(metrics.status).toBe(200);
    },
  );

  it.each(WORKLOADS.map((w) => w.name))(
    '%s: every dependency its readiness checks is allowed by its NetworkPolicy',
    async (name) => {
      const ready = (await (await fetch(`http://127.0.0.1:${portOf(name)}/health/ready`)).json()) as {
        details: Record<string, unknown>;
      };
      const policy = render(`overlays/${name}`).find(
        (d: K8sObject) => d.kind === 'NetworkPolicy' && d.metadata.name === name,
      )!;
      const allowedPorts = new Set(
        (policy.spec.egress as { ports?: { port: number }[] }[]).flatMap((r) =>
          (r.ports ?? []).map((p) => String(p.port)),
        ),
      );
      for (const dep of Object.keys(ready.details)) {
        expect(EGRESS_FOR[dep], `unknown readiness dependency ${dep}`).toBeDefined();
        expect({ name, dep, allowed: allowedPorts.has(EGRESS_FOR[dep]) }).toEqual({
          name,
          dep,
          allowed: true,
        });
      }
    },
  );

  it('routes every Ingress path to its workload: not 404 through the router, 404 on another domain', async () => {
    const problems: string[] = [];
    const docs = new Map<string, Record<string, Record<string, unknown>>>();
    for (const r of cluster.routes) {
      if (!docs.has(r.workload)) {
        const res = await fetch(`http://127.0.0.1:${portOf(r.workload)}/api/docs-json`);
        docs.set(
          r.workload,
          ((await res.json()) as { paths?: Record<string, Record<string, unknown>> }).paths ?? {},
        );
      }
      const paths = Object.entries(docs.get(r.workload)!).filter(
        ([p]) => p === r.prefix || p.startsWith(`${r.prefix}/`),
      );
      if (paths.length === 0) {
        problems.push(`${r.prefix}: the ${r.workload} pod documents no route under it`);
        continue;
      }
      // a parameter-free route when there is one, else the first one with sample parameters
      const [pathTemplate, methods] = paths.find(([p]) => !p.includes('{')) ?? paths[0];
      const method = (['get', 'post', 'patch', 'delete'].find((m) => m in methods) ?? 'get').toUpperCase();
      const url = pathTemplate.replace(/\{channel\}/g, 'scan').replace(/\{[^}]+\}/g, 'x');
      const init: RequestInit = {
        method,
        headers: { 'content-type': 'application/json' },
        ...(method === 'GET' ? {} : { body: '{}' }),
      };
      const viaRouter = await fetch(`${base()}${url}`, init);
      if (viaRouter.status === 404)
        problems.push(`${method} ${url} through the router answered 404 (→ ${r.workload})`);
      const other = WORKLOADS.find((w) => w.role === 'api' && w.name !== r.workload)!.name;
      const elsewhere = await fetch(`http://127.0.0.1:${portOf(other)}${url}`, init);
      if (elsewhere.status !== 404)
        problems.push(`${method} ${url} is also served by ${other} (${elsewhere.status})`);
    }
    const unknown = await fetch(`${base()}/api/v1/does-not-exist`);
    if (unknown.status !== 404) problems.push(`an unrouted path answered ${unknown.status}`);
    expect(problems).toEqual([]);
  }, 60_000);

  it('routes the chat WebSocket upgrade to the chat pod: a turn answers over the socket through the router', async () => {
    const login = await fetch(`${base()}/api/v1/auth/dev/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nickname: 'local-cluster-ws' }),
    });
    const token = ((await login.json()) as { data: { access_token: string } }).data.access_token;
    const authorization = `Bearer ${token}`;
    const chat = await fetch(`${base()}/api/v1/chat`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: '{}',
    });
    const chatId = ((await chat.json()) as { id: string }).id;
    const socketPath = '/api/v1/chat/ws';
    const socket = await openSocket(`ws://127.0.0.1:${cluster.routerPort}${socketPath}`, {
      headers: { authorization },
    });
    socket.send({ type: 'message', chat_id: chatId, message: '페트병 어떻게 버려?' });
    const done = await socket.next((f) => f.event === 'done' || f.event === 'error');
    await socket.close();
    expect(done.event).toBe('done');
    expect(JSON.stringify(done.data)).toContain('무색페트병');
    // Only the chat pod upgrades it: another domain's pod answers the same request 404.
    const elsewhere = await openSocket(`ws://127.0.0.1:${portOf('auth')}${socketPath}`, {
      headers: { authorization },
    }).catch((error: unknown) => error);
    expect(elsewhere).toBeInstanceOf(RefusedUpgrade);
    expect((elsewhere as RefusedUpgrade).status).toBe(404);
  }, 90_000);

  it('a scan goes end to end through the router: dev login (auth) → upload (scan + S3) → job (scan) → AI worker → result', async () => {
    const login = await fetch(`${base()}/api/v1/auth/dev/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nickname: 'local-cluster' }),
    });
    expect(login.status).toBeLessThan(300);
    const token = ((await login.json()) as { data: { access_token: string } }).data.access_token;
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const signed = await fetch(`${base()}/api/v1/images/scan`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ filename: 'bottle.png', content_type: 'image/png' }),
    });
    expect(signed.status).toBeLessThan(300);
    const upload = (await signed.json()) as {
      upload_url: string;
      cdn_url: string;
      required_headers?: Record<string, string>;
    };
    const png = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#3a7' } })
      .png()
      .toBuffer();
    const put = await fetch(upload.upload_url, {
      method: 'PUT',
      headers: { 'content-type': 'image/png', ...(upload.required_headers ?? {}) },
      body: png,
    });
    expect(put.status).toBeLessThan(300);
    const job = await fetch(`${base()}/api/v1/scan`, {
      method: 'POST',
      headers: { ...auth, 'idempotency-key': `local-cluster-${Date.now()}` },
      body: JSON.stringify({ image_url: upload.cdn_url, user_input: '투명 페트병' }),
    });
    expect(job.status).toBe(202);
    const { result_url } = (await job.json()) as { result_url: string };
    let result: { status: string } | undefined;
    for (let i = 0; i < 120 && !result; i++) {
      const r = await fetch(`${base()}${result_url}`, { headers: auth });
      if (r.status === 200) result = (await r.json()) as { status: string };
      else await new Promise((done) => setTimeout(done, 500));
    }
    expect(result?.status).toBe('completed');
  }, 90_000);
});
