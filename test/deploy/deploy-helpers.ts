/**
 * Shared helpers for the deployment tests (test/deploy): render overlays with `kubectl kustomize`,
 * parse YAML, run CLI tools, and the node plan of ARCHITECTURE.md §4 that Terraform, Ansible and the
 * overlays must all agree on.
 */
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as yaml from 'js-yaml';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const K8S = path.join(REPO, 'k8s');

/** ARCHITECTURE.md §4: 14 nodes. `domain` is the node's `domain=` label (and taint) value. */
export interface NodePlan {
  name: string;
  instanceType: 't3.large' | 't3.small' | 't3.micro';
  workload: 'control-plane' | 'api' | 'worker' | 'infrastructure';
  domain?: string;
}
export const NODE_PLAN: readonly NodePlan[] = [
  { name: 'master', instanceType: 't3.large', workload: 'control-plane' },
  { name: 'api-auth', instanceType: 't3.micro', workload: 'api', domain: 'auth' },
  { name: 'api-my', instanceType: 't3.micro', workload: 'api', domain: 'my' },
  { name: 'api-scan', instanceType: 't3.small', workload: 'api', domain: 'scan' },
  { name: 'api-character', instanceType: 't3.micro', workload: 'api', domain: 'character' },
  { name: 'api-location', instanceType: 't3.micro', workload: 'api', domain: 'location' },
  { name: 'api-info', instanceType: 't3.micro', workload: 'api', domain: 'info' },
  { name: 'api-chat', instanceType: 't3.small', workload: 'api', domain: 'chat' },
  { name: 'worker-storage', instanceType: 't3.small', workload: 'worker', domain: 'storage' },
  { name: 'worker-ai', instanceType: 't3.small', workload: 'worker', domain: 'ai' },
  { name: 'infra-postgresql', instanceType: 't3.small', workload: 'infrastructure', domain: 'postgresql' },
  { name: 'infra-rabbitmq', instanceType: 't3.small', workload: 'infrastructure', domain: 'rabbitmq' },
  { name: 'infra-redis', instanceType: 't3.micro', workload: 'infrastructure', domain: 'redis' },
  { name: 'infra-monitoring', instanceType: 't3.small', workload: 'infrastructure', domain: 'monitoring' },
];

/** Memory a node type can give to pods after kubelet reservations, eviction threshold and DaemonSets. */
export const POD_MEMORY_BUDGET_MI: Record<NodePlan['instanceType'], number> = {
  't3.micro': 640, // 1 GiB
  't3.small': 1600, // 2 GiB
  't3.large': 7000, // 8 GiB
};

/** The nine workloads: name → env flags (docs/CONVENTIONS.md) and the node domain they are pinned to. */
export interface WorkloadPlan {
  name: string;
  kind: 'Deployment' | 'StatefulSet';
  role: 'api' | 'worker';
  flag: { APP_DOMAINS: string } | { WORKER_ROLES: string };
  nodeDomain: string;
}
const api = (name: string): WorkloadPlan => ({
  name,
  kind: 'Deployment',
  role: 'api',
  flag: { APP_DOMAINS: name },
  nodeDomain: name,
});
export const WORKLOADS: readonly WorkloadPlan[] = [
  api('auth'),
  api('my'),
  api('scan'),
  api('character'),
  api('location'),
  api('info'),
  api('chat'),
  {
    name: 'storage-worker',
    kind: 'Deployment',
    role: 'worker',
    flag: { WORKER_ROLES: 'storage' },
    nodeDomain: 'storage',
  },
  { name: 'ai-worker', kind: 'StatefulSet', role: 'worker', flag: { WORKER_ROLES: 'ai' }, nodeDomain: 'ai' },
];

/** docs/API.md "Which deployment serves which prefix", as the overlays must route it (compared below). */
export const API_PREFIXES: Readonly<Record<string, string>> = {
  '/api/v1/auth': 'auth',
  '/api/v1/users': 'my',
  '/api/v1/images': 'scan',
  '/api/v1/scan': 'scan',
  '/api/v1/character': 'character',
  '/api/v1/locations': 'location',
  '/api/v1/info': 'info',
  '/api/v1/chat': 'chat',
};

/** Parses the prefix table out of docs/API.md. */
export function apiMdPrefixTable(): Record<string, string> {
  const text = fs.readFileSync(path.join(REPO, 'docs/API.md'), 'utf8');
  const section = text.split(/^## Which deployment serves which prefix.*$/m)[1]?.split(/^## /m)[0] ?? '';
  const table: Record<string, string> = {};
  for (const m of section.matchAll(/^\|\s*`(\/api\/v1\/[a-z-]+)`\s*\|\s*([a-z-]+)/gm)) table[m[1]] = m[2];
  return table;
}

// ---------------------------------------------------------------------------------------------------
// Kubernetes objects (only the fields the tests read)

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; fieldRef?: { fieldPath: string } };
}
export interface Probe {
  httpGet?: { path: string; port: string | number };
  exec?: { command: string[] };
}
export interface Container {
  name: string;
  image?: string;
  args?: string[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  ports?: { name?: string; containerPort: number }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  securityContext?: {
    runAsNonRoot?: boolean;
    readOnlyRootFilesystem?: boolean;
    allowPrivilegeEscalation?: boolean;
    privileged?: boolean;
    capabilities?: { drop?: string[] };
  };
  volumeMounts?: { name: string; mountPath: string }[];
}
export interface PodSpec {
  containers: Container[];
  nodeSelector?: Record<string, string>;
  tolerations?: { key?: string; operator?: string; value?: string; effect?: string }[];
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; seccompProfile?: { type: string } };
  volumes?: {
    name: string;
    emptyDir?: object;
    configMap?: { name: string };
    persistentVolumeClaim?: object;
    hostPath?: { path: string; type?: string };
  }[];
  automountServiceAccountToken?: boolean;
}
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rendered manifests are untyped YAML
  spec?: any;
  data?: Record<string, string>;
}

export function parseYamlDocs(text: string): K8sObject[] {
  return (yaml.loadAll(text) as (K8sObject | null)[]).filter((d): d is K8sObject => d != null);
}
export function parseYaml(text: string): unknown {
  return yaml.load(text);
}

export function overlayNames(): string[] {
  return fs
    .readdirSync(path.join(K8S, 'overlays'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(K8S, 'overlays', d.name, 'kustomization.yaml')))
    .map((d) => d.name)
    .sort();
}

const renderCache = new Map<string, K8sObject[]>();
/** `kubectl kustomize <dir>` (dir relative to k8s/), parsed. */
export function render(dir: string): K8sObject[] {
  const cached = renderCache.get(dir);
  if (cached) return cached;
  const out = execFileSync('kubectl', ['kustomize', path.join(K8S, dir)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const docs = parseYamlDocs(out);
  renderCache.set(dir, docs);
  return docs;
}

export function workloadOf(docs: K8sObject[], name: string): K8sObject | undefined {
  return docs.find((d) => (d.kind === 'Deployment' || d.kind === 'StatefulSet') && d.metadata.name === name);
}
export function podSpecOf(obj: K8sObject): PodSpec {
  return obj.spec.template.spec as PodSpec;
}

/** Kubernetes quantity → MiB (memory) */
export function memMi(q: string): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|K|M|G)?$/.exec(q);
  if (!m) throw new Error(`unparsable memory quantity ${q}`);
  const n = Number(m[1]);
  const f: Record<string, number> = {
    Ki: 1 / 1024,
    Mi: 1,
    Gi: 1024,
    K: 1e3 / 2 ** 20,
    M: 1e6 / 2 ** 20,
    G: 1e9 / 2 ** 20,
  };
  return m[2] ? n * f[m[2]] : n / 2 ** 20;
}

export function selectorMatches(
  sel: LabelSelector | undefined,
  labels: Record<string, string> = {},
): boolean {
  if (!sel) return false;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = e.key in labels;
    if (e.operator === 'In' && !(has && (e.values ?? []).includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && has && (e.values ?? []).includes(labels[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------------
// CLI tools

export function hasCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}
export function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {},
): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, {
    cwd: opts.cwd ?? REPO,
    env: opts.env ?? process.env,
    encoding: 'utf8',
    timeout: opts.timeout ?? 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
}
/** Output of a finished command for assertion messages. */
export function output(r: SpawnSyncReturns<string>): string {
  return `exit ${r.status}${r.error ? ` (${r.error.message})` : ''}\n${r.stdout}\n${r.stderr}`.trim();
}

/** Recursively lists files under dir (relative paths), skipping the given directory names. */
export function listFiles(dir: string, skip: string[] = ['.terraform', 'node_modules']): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (skip.includes(e.name)) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}
