#!/usr/bin/env node
// Local run of the Kubernetes cluster: renders every overlay with `kubectl kustomize`, starts the nine
// deployments as processes with the env each overlay renders (ConfigMap + literal env; the Secret
// replaced by local values; the service hosts postgresql/redis/rabbitmq mapped to loopback), and puts
// a small path router built from the rendered Ingress rules in front of them on one port.
//
//   node scripts/cluster/local-cluster.mjs [--port 8080] [--base-port 4100] [--only auth,scan,...]
//
// Env overrides: DATABASE_URL (+ DATABASE_SCHEMA), REDIS_URL (+ REDIS_KEY_PREFIX), AMQP_URL,
// S3_ENDPOINT (+ S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY), OPENAI_API_KEY/OPENAI_BASE_URL.
// Defaults: the machine's PostgreSQL (postgres@127.0.0.1:5432/test, schema eco2_local), Redis
// (127.0.0.1:6379), RabbitMQ (guest@127.0.0.1:5672) and an in-process s3rver.
import { execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as yaml from 'js-yaml';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SERVICE_HOSTS = ['postgresql', 'redis', 'rabbitmq'];
const INFRA_OVERLAY = 'infrastructure';

function kustomize(dir) {
  const out = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return yaml.loadAll(out).filter(Boolean);
}

/**
 * Renders the overlays and returns the nine workloads (name, kind, rendered env with ConfigMap values
 * resolved and secret references kept as {secret: key}) and the Ingress routes (prefix → workload).
 */
export function renderCluster({ overlaysDir = path.join(REPO, 'k8s/overlays') } = {}) {
  const overlays = fs
    .readdirSync(overlaysDir)
    .filter((d) => fs.existsSync(path.join(overlaysDir, d, 'kustomization.yaml')))
    .sort();
  const docs = Object.fromEntries(overlays.map((o) => [o, kustomize(path.join(overlaysDir, o))]));
  const all = Object.values(docs).flat();
  const configMaps = Object.fromEntries(
    all.filter((d) => d.kind === 'ConfigMap').map((d) => [d.metadata.name, d.data ?? {}]),
  );
  const workloads = [];
  const services = {};
  for (const overlay of overlays) {
    if (overlay === INFRA_OVERLAY) continue;
    for (const d of docs[overlay]) {
      if (d.kind !== 'Deployment' && d.kind !== 'StatefulSet') continue;
      const c =
        d.spec.template.spec.containers.find((x) => x.name === 'app') ?? d.spec.template.spec.containers[0];
      const env = {};
      for (const from of c.envFrom ?? []) {
        if (from.configMapRef) Object.assign(env, configMaps[from.configMapRef.name] ?? {});
        if (from.secretRef) env.__secretRef = from.secretRef.name;
      }
      for (const e of c.env ?? []) {
        if (e.value !== undefined) env[e.name] = e.value;
        else if (e.valueFrom?.secretKeyRef) env[e.name] = { secret: e.valueFrom.secretKeyRef.key };
      }
      delete env.__secretRef;
      workloads.push({
        name: d.metadata.name,
        kind: d.kind,
        overlay,
        env,
        labels: d.spec.template.metadata.labels,
      });
    }
    for (const s of docs[overlay].filter((x) => x.kind === 'Service')) services[s.metadata.name] = s;
  }
  const routes = [];
  for (const ing of all.filter((d) => d.kind === 'Ingress')) {
    for (const rule of ing.spec.rules ?? [])
      for (const p of rule.http?.paths ?? []) {
        const svc = services[p.backend.service.name];
        const target =
          svc &&
          workloads.find((w) =>
            Object.entries(svc.spec.selector ?? {}).every(([k, v]) => w.labels?.[k] === v),
          );
        if (!target)
          throw new Error(
            `Ingress ${ing.metadata.name}: ${p.path} → service ${p.backend.service.name} selects no workload`,
          );
        routes.push({
          prefix: p.path,
          pathType: p.pathType,
          service: p.backend.service.name,
          workload: target.name,
        });
      }
  }
  routes.sort((a, b) => b.prefix.length - a.prefix.length);
  return { workloads, routes, configMaps };
}

/** Kubernetes `Prefix` semantics: element-wise match (/api/v1/scan matches /api/v1/scan/x, not /api/v1/scanner). */
export function matchRoute(routes, url) {
  const pathname = url.split('?')[0];
  return routes.find((r) =>
    r.pathType === 'Exact'
      ? pathname === r.prefix
      : pathname === r.prefix || pathname.startsWith(r.prefix.endsWith('/') ? r.prefix : `${r.prefix}/`),
  );
}

function mapServiceHosts(value) {
  let v = value;
  for (const host of SERVICE_HOSTS)
    v = v.replace(new RegExp(`(//(?:[^@/]*@)?)${host}(?=[:/]|$)`, 'g'), '$1127.0.0.1');
  return v;
}

let sharedKey;
/** Local stand-ins for the `eco2-secrets` keys (the real Secret never leaves the cluster). */
export function localSecrets(overrides = process.env) {
  sharedKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
    type: 'pkcs8',
    format: 'pem',
  });
  const s = {
    DATABASE_URL: overrides.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    REDIS_URL: overrides.REDIS_URL ?? 'redis://127.0.0.1:6379',
    AMQP_URL: overrides.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672/',
    JWT_PRIVATE_KEY: overrides.JWT_PRIVATE_KEY ?? sharedKey,
    JWT_KEY_ID: overrides.JWT_KEY_ID ?? 'local-cluster',
  };
  if (overrides.OPENAI_API_KEY) s.OPENAI_API_KEY = overrides.OPENAI_API_KEY;
  return s;
}

/**
 * The env one workload process gets: what its overlay renders, with the Secret's keys from
 * localSecrets(), service hosts mapped to loopback, its own STATE_DIR, and local URLs.
 */
export function localEnv(workload, { port, routerPort, stateDir, overrides = process.env, s3 } = {}) {
  const secrets = localSecrets(overrides);
  const env = {};
  for (const [k, v] of Object.entries(workload.env)) {
    if (typeof v === 'object') {
      if (secrets[v.secret] !== undefined) env[k] = secrets[v.secret];
    } else env[k] = mapServiceHosts(v);
  }
  Object.assign(env, secrets);
  // paths inside the pod's volumes → this process's own state folder
  for (const [k, v] of Object.entries(env))
    if (typeof v === 'string' && v.startsWith('/var/lib/eco2'))
      env[k] = path.join(stateDir, v.slice('/var/lib/eco2'.length));
  env.STATE_DIR = stateDir;
  env.PORT = String(port);
  env.HOST = '127.0.0.1';
  env.TMPDIR = os.tmpdir();
  // a laptop is not production: plain HTTP cookies, dev login, localhost CORS (override with NODE_ENV)
  env.NODE_ENV = overrides.LOCAL_NODE_ENV ?? 'development';
  env.COOKIE_SECURE = 'false';
  env.LOG_LEVEL = overrides.LOG_LEVEL ?? 'warn';
  if (routerPort) env.PUBLIC_BASE_URL = `http://127.0.0.1:${routerPort}`;
  delete env.CORS_ORIGINS;
  for (const k of [
    'DATABASE_SCHEMA',
    'REDIS_KEY_PREFIX',
    'OPENAI_BASE_URL',
    'OPENAI_MODEL',
    'QUEUE_RETRY_BASE_MS',
  ])
    if (overrides[k]) env[k] = overrides[k];
  if (s3) {
    env.S3_ENDPOINT = s3.endpoint;
    env.S3_BUCKET = s3.bucket;
    env.S3_ACCESS_KEY_ID = s3.accessKeyId;
    env.S3_SECRET_ACCESS_KEY = s3.secretAccessKey;
    env.CDN_BASE_URL = `${s3.endpoint}/${s3.bucket}`;
  }
  return env;
}

async function startS3(overrides) {
  if (overrides.S3_ENDPOINT)
    return {
      endpoint: overrides.S3_ENDPOINT,
      bucket: overrides.S3_BUCKET ?? 'eco2-local',
      accessKeyId: overrides.S3_ACCESS_KEY_ID ?? 'S3RVER',
      secretAccessKey: overrides.S3_SECRET_ACCESS_KEY ?? 'S3RVER',
    };
  const { default: S3rver } = await import('s3rver');
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'eco2-local-s3-'));
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: [{ name: 'eco2-local', configs: [] }],
  });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket: 'eco2-local',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    close: () => server.close(),
  };
}

/** The path router: node:http reverse proxy, streaming both ways (SSE and WebSocket safe). */
export function createRouter(routes, upstreamPort) {
  const server = http.createServer((req, res) => {
    if (req.url === '/_router/routes') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(routes.map((r) => ({ ...r, port: upstreamPort(r.workload) }))));
    }
    const route = matchRoute(routes, req.url ?? '/');
    if (!route) {
      res.writeHead(404, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ code: 'NOT_FOUND', message: `no Ingress rule for ${req.url}` }));
    }
    const headers = {
      ...req.headers,
      'x-forwarded-for': [req.headers['x-forwarded-for'], req.socket.remoteAddress]
        .filter(Boolean)
        .join(', '),
      'x-forwarded-proto': 'http',
      'x-forwarded-host': req.headers.host ?? '',
    };
    const upstream = http.request(
      { host: '127.0.0.1', port: upstreamPort(route.workload), method: req.method, path: req.url, headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        res.flushHeaders(); // SSE: headers now, events as they come
        up.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 'BAD_GATEWAY', message: `${route.workload}: ${err.message}` }));
    });
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  server.on('upgrade', (req, socket, head) => {
    const route = matchRoute(routes, req.url ?? '/');
    if (!route) return socket.destroy();
    const up = net.connect(upstreamPort(route.workload), '127.0.0.1', () => {
      const lines = [
        `${req.method} ${req.url} HTTP/${req.httpVersion}`,
        ...Object.entries(req.headers).map(([k, v]) => `${k}: ${v}`),
      ];
      up.write(`${lines.join('\r\n')}\r\n\r\n`);
      up.write(head);
      up.pipe(socket).pipe(up);
    });
    up.on('error', () => socket.destroy());
    socket.on('error', () => up.destroy());
  });
  server.requestTimeout = 0; // long-lived SSE streams
  server.headersTimeout = 60_000;
  return server;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitLive(port, proc, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`exited with code ${proc.exitCode}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/health/live`);
      if (r.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no answer on /health/live within ${timeoutMs} ms`);
}

async function ensureSchema(url, schema) {
  if (!schema) return;
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  await client.end();
}

/**
 * Starts the cluster: all nine workloads (or `only`), then the router. Resolves once every process
 * answers /health/live. `stop()` ends the processes it started and the router.
 */
export async function startCluster({
  port = 8080,
  basePort = 4100,
  only,
  overrides = process.env,
  bootTimeoutMs = 120_000,
  log = (line) => process.stdout.write(`${line}\n`),
} = {}) {
  const { workloads, routes } = renderCluster();
  const selected = only ? workloads.filter((w) => only.includes(w.name)) : workloads;
  const env0 = { ...overrides };
  if (!env0.DATABASE_URL && !env0.DATABASE_SCHEMA) env0.DATABASE_SCHEMA = 'eco2_local';
  if (!env0.REDIS_KEY_PREFIX) env0.REDIS_KEY_PREFIX = 'eco2local:';
  await ensureSchema(localSecrets(env0).DATABASE_URL, env0.DATABASE_SCHEMA);
  const s3 = await startS3(env0);
  const procs = [];
  const ports = {};
  const output = {};
  for (const [i, w] of selected.entries()) ports[w.name] = basePort ? basePort + i : await freePort();
  const stateRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'eco2-local-cluster-'));
  for (const w of selected) {
    const stateDir = path.join(stateRoot, w.name);
    fs.mkdirSync(stateDir, { recursive: true });
    const env = localEnv(w, { port: ports[w.name], routerPort: port, stateDir, overrides: env0, s3 });
    const proc = spawn(
      process.execPath,
      ['--conditions=source', '--import', '@swc-node/register/esm-register', 'apps/main.ts'],
      {
        cwd: REPO,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    output[w.name] = [];
    const keep = (chunk) => {
      const lines = output[w.name];
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      if (lines.length > 200) lines.splice(0, lines.length - 200);
    };
    proc.stdout.on('data', keep);
    proc.stderr.on('data', keep);
    procs.push({ name: w.name, port: ports[w.name], proc, env });
  }
  const router = createRouter(routes, (name) => ports[name]);
  const stop = async () => {
    router.close();
    await Promise.all(
      procs.map(
        (p) =>
          new Promise((resolve) => {
            if (p.proc.exitCode !== null) return resolve();
            p.proc.once('exit', resolve);
            p.proc.kill('SIGTERM');
            setTimeout(() => p.proc.exitCode === null && p.proc.kill('SIGKILL'), 10_000).unref();
          }),
      ),
    );
    await s3.close?.();
    fs.rmSync(stateRoot, { recursive: true, force: true });
  };
  try {
    await Promise.all(
      procs.map((p) =>
        waitLive(p.port, p.proc, bootTimeoutMs).catch((e) => {
          throw new Error(`${p.name}: ${e.message}\n${output[p.name].slice(-20).join('\n')}`);
        }),
      ),
    );
    await new Promise((resolve, reject) => router.listen(port, '127.0.0.1', resolve).once('error', reject));
  } catch (e) {
    await stop();
    throw e;
  }
  const routerPort = router.address().port;
  for (const p of procs)
    log(
      `${p.name.padEnd(15)} http://127.0.0.1:${p.port}  ${routes
        .filter((r) => r.workload === p.name)
        .map((r) => r.prefix)
        .join(' ')}`,
    );
  log(`router          http://127.0.0.1:${routerPort}  (${routes.length} Ingress paths)`);
  return { routerPort, routes, workloads: procs, output, s3, stop };
}

function parseArgs(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port') opts.port = Number(argv[++i]);
    else if (a === '--base-port') opts.basePort = Number(argv[++i]);
    else if (a === '--only') opts.only = argv[++i].split(',');
    else if (a === '-h' || a === '--help') {
      process.stdout.write(
        fs
          .readFileSync(fileURLToPath(import.meta.url), 'utf8')
          .split('\n')
          .slice(1, 12)
          .join('\n') + '\n',
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  return opts;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const cluster = await startCluster(parseArgs(process.argv.slice(2)));
  const shutdown = async () => {
    await cluster.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
