/**
 * Kubernetes manifests (issue 7, acceptance 1 and the static half of 2): every overlay renders with
 * `kubectl kustomize`, every object passes the Kubernetes schema offline (kubernetes-models), the nine
 * workloads share one image and have distinct env flags, the pod shape is hardened, the node pinning
 * matches the node plan, the Ingress routes every API.md prefix to an existing Service/port, and the
 * NetworkPolicies, monitoring rules, RabbitMQ topology and ArgoCD objects are consistent.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import {
  apps,
  v1,
  networkingK8sIo,
  autoscaling,
  policy,
  batch,
  rbacAuthorizationK8sIo,
} from 'kubernetes-models';
import { rabbitMqDefinitions } from '../../scripts/rabbitmq-definitions.js';
import { imageNodeOptions } from '../../bench/support/built-app.js';
import {
  API_PREFIXES,
  K8S,
  NODE_PLAN,
  POD_MEMORY_BUDGET_MI,
  REPO,
  WORKLOADS,
  apiMdPrefixTable,
  memMi,
  overlayNames,
  podSpecOf,
  render,
  selectorMatches,
  workloadOf,
  type Container,
  type K8sObject,
  type LabelSelector,
} from './deploy-helpers.js';

type Validatable = new (data: unknown) => { validate(): void };
const MODELS: Record<string, Record<string, unknown>> = {
  v1: v1 as unknown as Record<string, unknown>,
  'apps/v1': apps.v1 as unknown as Record<string, unknown>,
  'batch/v1': batch.v1 as unknown as Record<string, unknown>,
  'autoscaling/v2': autoscaling.v2 as unknown as Record<string, unknown>,
  'policy/v1': policy.v1 as unknown as Record<string, unknown>,
  'networking.k8s.io/v1': networkingK8sIo.v1 as unknown as Record<string, unknown>,
  'rbac.authorization.k8s.io/v1': rbacAuthorizationK8sIo.v1 as unknown as Record<string, unknown>,
};

/** CRDs kubernetes-models does not ship: the fields their controllers require. */
function validateCrd(o: K8sObject): string[] {
  const errs: string[] = [];
  const need = (cond: unknown, what: string): void => {
    if (!cond) errs.push(`${o.kind}/${o.metadata.name}: ${what}`);
  };
  switch (`${o.apiVersion}/${o.kind}`) {
    case 'monitoring.coreos.com/v1/ServiceMonitor':
      need(o.spec?.selector && typeof o.spec.selector === 'object', 'spec.selector');
      need(Array.isArray(o.spec?.endpoints) && o.spec.endpoints.length > 0, 'spec.endpoints');
      for (const e of o.spec?.endpoints ?? [])
        need(typeof e.port === 'string', 'endpoint.port must name a Service port');
      break;
    case 'monitoring.coreos.com/v1/PrometheusRule':
      need(Array.isArray(o.spec?.groups) && o.spec.groups.length > 0, 'spec.groups');
      for (const g of o.spec?.groups ?? []) {
        need(typeof g.name === 'string', 'group.name');
        for (const r of g.rules ?? []) {
          need(typeof r.expr === 'string' && r.expr.trim(), `rule ${r.alert ?? r.record}: expr`);
          need(
            Boolean(r.alert) !== Boolean(r.record),
            `rule ${r.alert ?? r.record}: exactly one of alert/record`,
          );
          if (r.for) need(/^\d+[smh]$/.test(r.for), `rule ${r.alert}: for duration`);
        }
      }
      break;
    case 'argoproj.io/v1alpha1/AppProject':
      need(Array.isArray(o.spec?.sourceRepos), 'spec.sourceRepos');
      need(Array.isArray(o.spec?.destinations), 'spec.destinations');
      break;
    case 'argoproj.io/v1alpha1/ApplicationSet':
      need(Array.isArray(o.spec?.generators) && o.spec.generators.length > 0, 'spec.generators');
      need(
        o.spec?.template?.spec?.source && o.spec?.template?.spec?.destination,
        'spec.template.spec source/destination',
      );
      break;
    default:
      errs.push(`${o.apiVersion}/${o.kind} ${o.metadata.name}: no schema known to this test`);
  }
  return errs;
}

function validate(o: K8sObject): string[] {
  const Model = MODELS[o.apiVersion]?.[o.kind] as Validatable | undefined;
  if (!Model) return validateCrd(o);
  try {
    new Model(o).validate();
    return [];
  } catch (e) {
    return [`${o.kind}/${o.metadata.name}: ${(e as Error).message}`];
  }
}

const OVERLAYS = [...WORKLOADS.map((w) => w.name), 'infrastructure'].sort();
const rendered: Record<string, K8sObject[]> = {};
const container = (o: K8sObject): Container =>
  podSpecOf(o).containers.find((c) => c.name === 'app') as Container;
const envOf = (c: Container): Record<string, string | undefined> =>
  Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value]));

beforeAll(() => {
  for (const name of overlayNames()) rendered[name] = render(`overlays/${name}`);
  rendered.argocd = render('argocd');
});

describe('kustomize overlays render and validate offline', () => {
  it('has exactly one overlay per deployment plus infrastructure, and each renders', () => {
    expect(overlayNames()).toEqual(OVERLAYS);
    for (const name of OVERLAYS) expect(rendered[name].length).toBeGreaterThan(0);
  });

  it('every rendered object passes the Kubernetes schema (kubernetes-models) or its CRD shape', () => {
    const errors = Object.entries(rendered).flatMap(([overlay, docs]) =>
      docs.flatMap((d) => validate(d).map((e) => `${overlay}: ${e}`)),
    );
    expect(errors).toEqual([]);
  });

  it('the schema check really rejects a broken object', () => {
    const dep = structuredClone(workloadOf(rendered.auth, 'auth') as K8sObject);
    dep.spec.replicas = 'two';
    expect(validate(dep)).not.toEqual([]);
  });

  it('no two Applications own the same object (names unique across overlays)', () => {
    const seen = new Map<string, string>();
    const dupes: string[] = [];
    for (const name of OVERLAYS)
      for (const d of rendered[name]) {
        const key = `${d.kind}/${d.metadata.namespace ?? ''}/${d.metadata.name}`;
        if (seen.has(key)) dupes.push(`${key} in ${seen.get(key)} and ${name}`);
        seen.set(key, name);
      }
    expect(dupes).toEqual([]);
  });

  it('namespaces every namespaced object into eco2, except the log shipper in its own namespace', () => {
    // Fluent Bit reads the nodes' logs through hostPath, which eco2's baseline Pod Security forbids.
    const logShipper = new Set([
      'DaemonSet/fluent-bit',
      'ConfigMap/fluent-bit-config',
      'ServiceAccount/fluent-bit',
      'NetworkPolicy/fluent-bit',
    ]);
    for (const name of OVERLAYS)
      for (const d of rendered[name])
        if (d.kind !== 'Namespace')
          expect(`${d.kind}/${d.metadata.name}:${d.metadata.namespace}`).toBe(
            `${d.kind}/${d.metadata.name}:${name === 'infrastructure' && logShipper.has(`${d.kind}/${d.metadata.name}`) ? 'logging' : 'eco2'}`,
          );
  });
});

describe('the nine workloads', () => {
  it('exist with the right kind, one image, APP_ROLE and distinct APP_DOMAINS / WORKER_ROLES', () => {
    const images = new Set<string>();
    const flags = new Set<string>();
    for (const w of WORKLOADS) {
      const o = workloadOf(rendered[w.name], w.name);
      expect(o?.kind).toBe(w.kind);
      const c = container(o as K8sObject);
      images.add(c.image as string);
      const env = envOf(c);
      expect(env.APP_ROLE).toBe(w.role);
      if ('APP_DOMAINS' in w.flag) {
        expect(env.APP_DOMAINS).toBe(w.flag.APP_DOMAINS);
        expect(env.WORKER_ROLES).toBeUndefined();
      } else {
        expect(env.WORKER_ROLES).toBe(w.flag.WORKER_ROLES);
        expect(env.APP_DOMAINS).toBeUndefined();
      }
      flags.add(`${env.APP_ROLE}:${env.APP_DOMAINS ?? env.WORKER_ROLES}`);
      // no workload other than its own in the overlay
      const others = rendered[w.name].filter(
        (d) => ['Deployment', 'StatefulSet'].includes(d.kind) && d.metadata.name !== w.name,
      );
      expect(others).toEqual([]);
    }
    expect(images.size).toBe(1);
    expect(flags.size).toBe(9);
    const [image] = [...images];
    expect(image).toMatch(/^ghcr\.io\/eco2-team\/eco2-backend:[\w.-]+$/);
    expect(image).not.toMatch(/:latest$/);
  });

  it("API pods run with the image's NODE_OPTIONS, worker pods with it at 1 MB semi-spaces (docs/PERFORMANCE.md)", () => {
    const image = imageNodeOptions();
    expect(image).toMatch(/--max-semi-space-size=4\b/);
    for (const w of WORKLOADS) {
      const env = envOf(container(workloadOf(rendered[w.name], w.name) as K8sObject));
      if (w.role === 'api') expect(env.NODE_OPTIONS).toBeUndefined();
      else expect(env.NODE_OPTIONS).toBe(image.replace('--max-semi-space-size=4', '--max-semi-space-size=1'));
    }
  });

  it('the image tag is set in exactly one place (base/pod images:)', () => {
    const files = [
      'base',
      'base/pod',
      'base/statefulset',
      'components/api',
      'components/worker',
      ...OVERLAYS.map((o) => `overlays/${o}`),
    ];
    const withImages = files.filter((f) =>
      /^images:/m.test(fs.readFileSync(path.join(K8S, f, 'kustomization.yaml'), 'utf8')),
    );
    expect(withImages).toEqual(['base/pod']);
  });

  it('every env flag value is one the app accepts (docs/CONVENTIONS.md)', () => {
    const conventions = fs.readFileSync(path.join(REPO, 'docs/CONVENTIONS.md'), 'utf8');
    for (const w of WORKLOADS) {
      const env = envOf(container(workloadOf(rendered[w.name], w.name) as K8sObject));
      for (const v of (env.APP_DOMAINS ?? env.WORKER_ROLES ?? '').split(','))
        expect(conventions).toContain(v);
    }
  });

  it('share the hardened pod shape: probes, port 3000, non-root, read-only root with writable /tmp and STATE_DIR', () => {
    for (const w of WORKLOADS) {
      const o = workloadOf(rendered[w.name], w.name) as K8sObject;
      const pod = podSpecOf(o);
      const c = container(o);
      expect(c.ports).toContainEqual(expect.objectContaining({ name: 'http', containerPort: 3000 }));
      expect(envOf(c).PORT).toBe('3000');
      expect(c.livenessProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(c.readinessProbe?.httpGet).toEqual({ path: '/health/ready', port: 'http' });
      expect(c.startupProbe?.httpGet?.path).toBe('/health/live');
      expect(o.spec.template.metadata.annotations?.['prometheus.io/path']).toBe('/metrics');
      expect(pod.securityContext?.runAsNonRoot).toBe(true);
      expect(pod.securityContext?.seccompProfile?.type).toBe('RuntimeDefault');
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(c.securityContext).toMatchObject({
        runAsNonRoot: true,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
      const mounts = Object.fromEntries((c.volumeMounts ?? []).map((m) => [m.mountPath, m.name]));
      expect(mounts['/tmp']).toBeDefined();
      const stateDir = envOf(c).STATE_DIR as string;
      expect(mounts[stateDir]).toBeDefined();
      const volumeNames = new Set([
        ...(pod.volumes ?? []).map((v) => v.name),
        ...((o.spec.volumeClaimTemplates ?? []) as K8sObject[]).map((t) => t.metadata.name),
      ]);
      for (const m of c.volumeMounts ?? []) expect(volumeNames).toContain(m.name);
      // config from the ConfigMap and the Secret, no secret literal in the manifests
      expect(c.envFrom).toEqual([
        { configMapRef: { name: 'eco2-config' } },
        { secretRef: { name: 'eco2-secrets' } },
      ]);
      for (const e of c.env ?? [])
        expect(['DATABASE_URL', 'REDIS_URL', 'AMQP_URL', 'OPENAI_API_KEY', 'JWT_PRIVATE_KEY']).not.toContain(
          e.name,
        );
      expect(c.resources?.requests?.cpu).toBeDefined();
      expect(memMi(c.resources?.limits?.memory as string)).toBeGreaterThanOrEqual(
        memMi(c.resources?.requests?.memory as string),
      );
    }
  });

  it('the AI worker keeps its journal on its own volume (StatefulSet volumeClaimTemplate)', () => {
    const o = workloadOf(rendered['ai-worker'], 'ai-worker') as K8sObject;
    const c = container(o);
    const tpl = (o.spec.volumeClaimTemplates as K8sObject[]).map((t) => t.metadata.name);
    const mount = c.volumeMounts?.find((m) => m.mountPath === '/var/lib/eco2');
    expect(tpl).toContain(mount?.name);
    expect(envOf(c).WORKER_JOURNAL_PATH).toBe('/var/lib/eco2/worker-journal.sqlite');
    expect(envOf(c).STATE_DIR).toBe('/var/lib/eco2');
    const svc = rendered['ai-worker'].find((d) => d.kind === 'Service');
    expect(o.spec.serviceName).toBe(svc?.metadata.name);
  });

  it('are pinned to their node (nodeSelector + toleration) and their requests fit that node type', () => {
    for (const w of WORKLOADS) {
      const o = workloadOf(rendered[w.name], w.name) as K8sObject;
      const pod = podSpecOf(o);
      const node = NODE_PLAN.find((n) => n.domain === w.nodeDomain);
      expect(node?.workload).toBe(w.role);
      expect(pod.nodeSelector).toEqual({ workload: w.role, domain: w.nodeDomain });
      expect(pod.tolerations).toContainEqual({
        key: 'domain',
        operator: 'Equal',
        value: w.nodeDomain,
        effect: 'NoSchedule',
      });
      // worst case on the node: HPA max replicas + one surge pod during a rollout
      const hpa = rendered[w.name].find((d) => d.kind === 'HorizontalPodAutoscaler') as K8sObject;
      const surge = o.kind === 'Deployment' ? 1 : 0;
      const request = memMi(container(o).resources?.requests?.memory as string);
      const budget = POD_MEMORY_BUDGET_MI[node!.instanceType];
      expect({ workload: w.name, worstCaseMi: (hpa.spec.maxReplicas + surge) * request }).toEqual({
        workload: w.name,
        worstCaseMi: expect.any(Number),
      });
      expect((hpa.spec.maxReplicas + surge) * request).toBeLessThanOrEqual(budget);
      expect(memMi(container(o).resources?.limits?.memory as string)).toBeLessThanOrEqual(budget);
    }
  });

  it('have an HPA on the workload and a PDB that selects its pods without blocking drains forever', () => {
    for (const w of WORKLOADS) {
      const o = workloadOf(rendered[w.name], w.name) as K8sObject;
      const labels = o.spec.template.metadata.labels as Record<string, string>;
      const hpa = rendered[w.name].find((d) => d.kind === 'HorizontalPodAutoscaler') as K8sObject;
      expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: w.kind, name: w.name });
      expect(hpa.spec.minReplicas).toBeLessThanOrEqual(hpa.spec.maxReplicas);
      const pdb = rendered[w.name].find((d) => d.kind === 'PodDisruptionBudget') as K8sObject;
      expect(selectorMatches(pdb.spec.selector, labels)).toBe(true);
      if (pdb.spec.minAvailable !== undefined)
        expect(pdb.spec.minAvailable).toBeLessThan(hpa.spec.minReplicas);
      else expect(pdb.spec.maxUnavailable).toBeGreaterThanOrEqual(1);
      expect(selectorMatches(o.spec.selector, labels)).toBe(true);
    }
  });

  it('each has a Service selecting its pods whose named port exists on the container', () => {
    for (const w of WORKLOADS) {
      const o = workloadOf(rendered[w.name], w.name) as K8sObject;
      const svc = rendered[w.name].find(
        (d) => d.kind === 'Service' && d.metadata.name === w.name,
      ) as K8sObject;
      expect(selectorMatches({ matchLabels: svc.spec.selector }, o.spec.template.metadata.labels)).toBe(true);
      for (const p of svc.spec.ports)
        expect(container(o).ports?.map((cp) => cp.name)).toContain(p.targetPort);
      // the selector must not also catch another workload's pods
      for (const other of WORKLOADS.filter((x) => x.name !== w.name)) {
        const oo = workloadOf(rendered[other.name], other.name) as K8sObject;
        expect(selectorMatches({ matchLabels: svc.spec.selector }, oo.spec.template.metadata.labels)).toBe(
          false,
        );
      }
    }
  });
});

describe('ALB Ingress', () => {
  const ingresses = (): K8sObject[] =>
    OVERLAYS.flatMap((o) => rendered[o].filter((d) => d.kind === 'Ingress'));
  const routes = (): { prefix: string; service: string; port: string | number; overlay: string }[] =>
    OVERLAYS.flatMap((overlay) =>
      rendered[overlay]
        .filter((d) => d.kind === 'Ingress')
        .flatMap((ing) =>
          ing.spec.rules.flatMap(
            (r: {
              http: {
                paths: {
                  path: string;
                  backend: { service: { name: string; port: { name?: string; number?: number } } };
                }[];
              };
            }) =>
              r.http.paths.map((p) => ({
                prefix: p.path,
                service: p.backend.service.name,
                port: p.backend.service.port.name ?? (p.backend.service.port.number as number),
                overlay,
              })),
          ),
        ),
    );

  it('routes every API.md prefix to the deployment the table names, and nothing else', () => {
    const table = Object.fromEntries(routes().map((r) => [r.prefix, r.service]));
    expect(table).toEqual(API_PREFIXES);
    expect(apiMdPrefixTable()).toEqual(API_PREFIXES);
  });

  it('every path points at an existing Service and port', () => {
    for (const r of routes()) {
      const svc = rendered[r.overlay].find((d) => d.kind === 'Service' && d.metadata.name === r.service);
      expect({ route: r.prefix, service: svc?.metadata.name }).toEqual({
        route: r.prefix,
        service: r.service,
      });
      const ports = (svc as K8sObject).spec.ports as { name: string; port: number }[];
      expect(ports.some((p) => p.name === r.port || p.port === r.port)).toBe(true);
      expect((svc as K8sObject).spec.type).toBe('NodePort'); // ALB instance targets
    }
  });

  it('uses Prefix paths, one ALB group, ACM TLS, HTTPS redirect, readiness health check and a 300 s idle timeout', () => {
    const all = ingresses();
    expect(all.length).toBe(7);
    const shared = (a: Record<string, string>): Record<string, string> =>
      Object.fromEntries(
        Object.entries(a).filter(([k]) => k !== 'alb.ingress.kubernetes.io/target-node-labels'),
      );
    const first = shared(all[0].metadata.annotations ?? {});
    for (const ing of all) {
      const a = ing.metadata.annotations ?? {};
      expect(ing.spec.ingressClassName).toBe('alb');
      expect(shared(a)).toEqual(first); // group members must agree
      expect(a['alb.ingress.kubernetes.io/group.name']).toBe('eco2');
      expect(a['alb.ingress.kubernetes.io/certificate-arn']).toMatch(/^arn:aws:acm:/);
      expect(a['alb.ingress.kubernetes.io/ssl-redirect']).toBe('443');
      expect(a['alb.ingress.kubernetes.io/healthcheck-path']).toBe('/health/ready');
      expect(a['alb.ingress.kubernetes.io/load-balancer-attributes']).toContain(
        'idle_timeout.timeout_seconds=300',
      );
      expect(a['alb.ingress.kubernetes.io/target-node-labels']).toBe(`domain=${ing.metadata.name}`);
      for (const r of ing.spec.rules) for (const p of r.http.paths) expect(p.pathType).toBe('Prefix');
    }
  });
});

describe('NetworkPolicies', () => {
  const policies = (): K8sObject[] =>
    OVERLAYS.flatMap((o) => rendered[o].filter((d) => d.kind === 'NetworkPolicy'));
  const infraLabels = (name: string): Record<string, string> => {
    const o = rendered.infrastructure.find(
      (d) => d.kind === 'StatefulSet' && d.metadata.name === name,
    ) as K8sObject;
    return o.spec.template.metadata.labels;
  };
  interface Peer {
    podSelector?: LabelSelector;
    namespaceSelector?: LabelSelector;
    ipBlock?: { cidr: string; except?: string[] };
  }
  interface Rule {
    to?: Peer[];
    from?: Peer[];
    ports?: { port: number | string; protocol?: string }[];
  }
  /** What a workload's own policy lets it reach: set of "target:port". */
  function egressOf(name: string): Set<string> {
    const labels = (workloadOf(rendered[name], name) as K8sObject).spec.template.metadata.labels;
    const out = new Set<string>();
    for (const p of policies().filter(
      (np) => selectorMatches(np.spec.podSelector, labels) && Object.keys(np.spec.podSelector).length > 0,
    )) {
      for (const r of (p.spec.egress ?? []) as Rule[])
        for (const peer of r.to ?? [])
          for (const port of r.ports ?? []) {
            let target = peer.ipBlock?.cidr ?? '?';
            for (const svc of ['postgresql', 'redis', 'rabbitmq'])
              if (peer.podSelector && selectorMatches(peer.podSelector, infraLabels(svc))) target = svc;
            out.add(`${target}:${port.port}`);
          }
    }
    return out;
  }

  it('the namespace denies everything by default and allows DNS', () => {
    const deny = rendered.infrastructure.find(
      (d) => d.kind === 'NetworkPolicy' && d.metadata.name === 'default-deny',
    ) as K8sObject;
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const dns = rendered.infrastructure.find(
      (d) => d.kind === 'NetworkPolicy' && d.metadata.name === 'allow-dns',
    ) as K8sObject;
    expect(JSON.stringify(dns.spec.egress)).toContain('"port":53');
  });

  it('each workload reaches only what it uses', () => {
    const internet = '0.0.0.0/0:443';
    const expected: Record<string, string[]> = {
      auth: ['postgresql:5432', 'redis:6379', internet],
      my: ['postgresql:5432', 'redis:6379', 'rabbitmq:5672'],
      scan: ['postgresql:5432', 'redis:6379', 'rabbitmq:5672', internet, '169.254.169.254/32:80'],
      character: ['postgresql:5432', 'redis:6379'],
      location: ['postgresql:5432', 'redis:6379', internet],
      info: ['postgresql:5432', 'redis:6379', internet],
      chat: ['postgresql:5432', 'redis:6379', 'rabbitmq:5672', internet, '169.254.169.254/32:80'],
      'storage-worker': ['postgresql:5432', 'redis:6379', 'rabbitmq:5672', internet, '169.254.169.254/32:80'],
      'ai-worker': ['postgresql:5432', 'redis:6379', 'rabbitmq:5672', internet, '169.254.169.254/32:80'],
    };
    for (const w of WORKLOADS)
      expect({ [w.name]: [...egressOf(w.name)].sort() }).toEqual({ [w.name]: expected[w.name].sort() });
    // the internet rule never opens the cluster's own ranges or the metadata service
    for (const np of policies())
      for (const r of (np.spec.egress ?? []) as Rule[])
        for (const peer of r.to ?? [])
          if (peer.ipBlock?.cidr === '0.0.0.0/0')
            expect(peer.ipBlock.except).toEqual(expect.arrayContaining(['10.0.0.0/8', '169.254.0.0/16']));
  });

  it('data services accept exactly the workloads whose egress allows them', () => {
    const ingressFrom = (svc: string): string[] => {
      const np = rendered.infrastructure.find(
        (d) => d.kind === 'NetworkPolicy' && d.metadata.name === svc,
      ) as K8sObject;
      const rule = ((np.spec.ingress ?? []) as Rule[]).find((r) =>
        r.ports?.some((p) => [5432, 6379, 5672].includes(Number(p.port))),
      );
      return WORKLOADS.filter((w) => {
        const labels = (workloadOf(rendered[w.name], w.name) as K8sObject).spec.template.metadata.labels;
        return (rule?.from ?? []).some(
          (peer) => peer.podSelector && selectorMatches(peer.podSelector, labels),
        );
      }).map((w) => w.name);
    };
    for (const [svc, port] of [
      ['postgresql', 5432],
      ['redis', 6379],
      ['rabbitmq', 5672],
    ] as const) {
      const users = WORKLOADS.filter((w) => egressOf(w.name).has(`${svc}:${port}`)).map((w) => w.name);
      expect({ [svc]: ingressFrom(svc) }).toEqual({ [svc]: users });
    }
    expect(ingressFrom('rabbitmq')).not.toContain('character');
  });

  it('API pods accept the ALB (VPC) on 3000 and every workload accepts Prometheus', () => {
    for (const w of WORKLOADS) {
      const np = rendered[w.name].find(
        (d) => d.kind === 'NetworkPolicy' && d.metadata.name === w.name,
      ) as K8sObject;
      expect(np.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      const text = JSON.stringify(np.spec.ingress);
      expect(text).toContain('"kubernetes.io/metadata.name":"monitoring"');
      expect(text.includes('10.0.0.0/16')).toBe(w.role === 'api');
    }
  });
});

describe('configuration', () => {
  const configMap = (): Record<string, string> =>
    (
      rendered.infrastructure.find(
        (d) => d.kind === 'ConfigMap' && d.metadata.name === 'eco2-config',
      ) as K8sObject
    ).data ?? {};

  it('eco2-config holds production settings and no secret', () => {
    const cm = configMap();
    expect(cm.NODE_ENV).toBe('production');
    expect(cm.TRUST_PROXY).toBe('true');
    for (const k of Object.keys(cm))
      expect(k).not.toMatch(/PASSWORD|SECRET|PRIVATE_KEY|API_KEY|DATABASE_URL|REDIS_URL|AMQP_URL/);
  });

  it('every variable the manifests set is one the app knows (env schema), and the secret example is not deployed', () => {
    const schemaFile = path.join(REPO, 'libs/platform/src/config/env-schema.ts');
    const example = fs.readFileSync(path.join(K8S, 'secret.example.yaml'), 'utf8');
    const secretKeys = [...example.matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]);
    const infraOnly = ['POSTGRES_PASSWORD', 'REDIS_PASSWORD', 'RABBITMQ_DEFAULT_PASS'];
    const set = new Set([...Object.keys(configMap()), ...secretKeys.filter((k) => !infraOnly.includes(k))]);
    for (const w of WORKLOADS)
      for (const e of container(workloadOf(rendered[w.name], w.name) as K8sObject).env ?? []) set.add(e.name);
    set.delete('TMPDIR'); // read by Node itself
    if (!fs.existsSync(schemaFile)) {
      console.log(`env schema ${schemaFile} not found: variable names not cross-checked`);
      return;
    }
    // known: the platform env schema plus the env table of docs/CONVENTIONS.md
    const conventions = fs.readFileSync(path.join(REPO, 'docs/CONVENTIONS.md'), 'utf8');
    const known = new Set([
      ...[
        schemaFile,
        ...fs.readdirSync(path.join(REPO, 'libs')).flatMap((lib) => {
          const dir = path.join(REPO, 'libs', lib, 'src');
          return fs.existsSync(dir)
            ? fs
                .readdirSync(dir)
                .filter((f) => f.endsWith('.env.ts'))
                .map((f) => path.join(dir, f))
            : [];
        }),
      ].flatMap((f) =>
        [...fs.readFileSync(f, 'utf8').matchAll(/name: '([A-Z][A-Z0-9_]+)'/g)].map((m) => m[1]),
      ),
      ...[...conventions.matchAll(/^\| `([A-Z][A-Z0-9_]+)`/gm)].map((m) => m[1]),
    ]);
    expect([...set].filter((k) => !known.has(k))).toEqual([]);
    for (const o of OVERLAYS) {
      const k = fs
        .readFileSync(path.join(K8S, 'overlays', o, 'kustomization.yaml'), 'utf8')
        .replace(/#.*$/gm, '');
      expect(k).not.toContain('secret.example');
    }
    for (const o of OVERLAYS) expect(rendered[o].filter((d) => d.kind === 'Secret')).toEqual([]);
  });
});

describe('infrastructure overlay', () => {
  it('runs PostgreSQL, Redis and RabbitMQ as StatefulSets with volumes, pinned to their infra nodes', () => {
    for (const name of ['postgresql', 'redis', 'rabbitmq']) {
      const o = rendered.infrastructure.find(
        (d) => d.kind === 'StatefulSet' && d.metadata.name === name,
      ) as K8sObject;
      expect(o).toBeDefined();
      expect(podSpecOf(o).nodeSelector).toEqual({ workload: 'infrastructure', domain: name });
      expect(podSpecOf(o).tolerations).toContainEqual({
        key: 'domain',
        operator: 'Equal',
        value: name,
        effect: 'NoSchedule',
      });
      expect(o.spec.volumeClaimTemplates.length).toBe(1);
      expect(NODE_PLAN.some((n) => n.domain === name && n.workload === 'infrastructure')).toBe(true);
      const svc = rendered.infrastructure.find(
        (d) => d.kind === 'Service' && d.metadata.name === name,
      ) as K8sObject;
      expect(selectorMatches({ matchLabels: svc.spec.selector }, o.spec.template.metadata.labels)).toBe(true);
      const req = memMi(podSpecOf(o).containers[0].resources?.limits?.memory as string);
      const node = NODE_PLAN.find((n) => n.domain === name)!;
      expect(req).toBeLessThanOrEqual(POD_MEMORY_BUDGET_MI[node.instanceType]);
    }
  });

  it('declares the RabbitMQ queues, retry queues and dead-letter exchange of docs/CONVENTIONS.md', () => {
    const conventions = fs.readFileSync(path.join(REPO, 'docs/CONVENTIONS.md'), 'utf8');
    const queues = [
      ...(/^- Queues \(durable\): (.*)$/m.exec(conventions)?.[1] ?? '').matchAll(/`([a-z.]+)`/g),
    ].map((m) => m[1]);
    const dlx = /Dead-letter exchange `([^`]+)`/.exec(conventions)?.[1];
    expect(queues.length).toBeGreaterThanOrEqual(4);
    const cm = rendered.infrastructure.find(
      (d) => d.kind === 'ConfigMap' && d.metadata.name === 'rabbitmq-definitions',
    ) as K8sObject;
    const defs = JSON.parse(cm.data?.['definitions.json'] ?? '{}') as {
      exchanges: { name: string; type: string; durable: boolean }[];
      queues: { name: string; durable: boolean; arguments: Record<string, string> }[];
      bindings: { source: string; destination: string; routing_key: string }[];
    };
    expect(defs.exchanges).toContainEqual(
      expect.objectContaining({ name: dlx, type: 'direct', durable: true }),
    );
    const q = Object.fromEntries(defs.queues.map((x) => [x.name, x]));
    for (const name of queues) {
      expect(q[name]?.durable).toBe(true);
      expect(q[name].arguments['x-dead-letter-exchange']).toBe(dlx);
      expect(q[`${name}.dlq`]?.durable).toBe(true);
      expect(defs.bindings).toContainEqual(
        expect.objectContaining({ source: dlx, destination: `${name}.dlq`, routing_key: name }),
      );
      expect(Object.keys(q).filter((n) => n.startsWith(`${name}.retry.`)).length).toBeGreaterThan(0);
    }
  });

  it('pre-loads exactly the topology the app declares (RabbitMQ refuses redeclarations with other arguments)', () => {
    const cm = rendered.infrastructure.find(
      (d) => d.kind === 'ConfigMap' && d.metadata.name === 'rabbitmq-definitions',
    ) as K8sObject;
    expect(JSON.parse(cm.data?.['definitions.json'] ?? '{}')).toEqual(rabbitMqDefinitions());
  });

  it('alerts use the metric names of docs/CONVENTIONS.md and RabbitMQ queue depth / DLQ growth', () => {
    const conventions = fs.readFileSync(path.join(REPO, 'docs/CONVENTIONS.md'), 'utf8');
    const metricsSection = conventions.split('## Metrics')[1] ?? '';
    const metrics = [...metricsSection.matchAll(/^- `([a-z_]+)`/gm)].map((m) => m[1]);
    expect(metrics).toEqual(
      expect.arrayContaining([
        'http_request_duration_seconds',
        'queue_messages_processed_total',
        'worker_journal_unsynced_entries',
      ]),
    );
    const rules = rendered.infrastructure.find((d) => d.kind === 'PrometheusRule') as K8sObject;
    const alerts = (
      rules.spec.groups as {
        rules: {
          alert?: string;
          expr: string;
          labels?: Record<string, string>;
          annotations?: Record<string, string>;
        }[];
      }[]
    )
      .flatMap((g) => g.rules)
      .filter((r) => r.alert);
    const exprs = alerts.map((a) => a.expr).join('\n');
    for (const m of metrics) expect(exprs).toContain(m);
    expect(exprs).toMatch(/rabbitmq_detailed_queue_messages_ready/);
    expect(exprs).toMatch(/\\\\\.dlq|\.dlq/);
    for (const a of alerts) {
      expect(['warning', 'critical']).toContain(a.labels?.severity);
      expect(a.annotations?.summary).toBeTruthy();
    }
    const dashboard = rendered.infrastructure.find(
      (d) => d.kind === 'ConfigMap' && d.metadata.labels?.grafana_dashboard === '1',
    ) as K8sObject;
    const json = JSON.parse(Object.values(dashboard.data ?? {})[0]) as {
      panels: { targets: { expr: string }[] }[];
    };
    const dashExprs = json.panels.flatMap((p) => p.targets.map((t) => t.expr)).join('\n');
    for (const m of metrics) expect(dashExprs).toContain(m);
  });

  it('ServiceMonitors scrape every workload Service by its named port', () => {
    const sms = rendered.infrastructure.filter((d) => d.kind === 'ServiceMonitor');
    for (const w of WORKLOADS) {
      const svc = rendered[w.name].find((d) => d.kind === 'Service') as K8sObject;
      const sm = sms.find((s) => selectorMatches(s.spec.selector, svc.metadata.labels));
      expect({ workload: w.name, monitored: Boolean(sm) }).toEqual({ workload: w.name, monitored: true });
      const portNames = (svc.spec.ports as { name: string }[]).map((p) => p.name);
      for (const e of sm!.spec.endpoints) expect(portNames).toContain(e.port);
    }
  });
});

describe('ArgoCD', () => {
  it('the ApplicationSet generates one Application per overlay with automated prune + self-heal', () => {
    const appset = rendered.argocd.find((d) => d.kind === 'ApplicationSet') as K8sObject;
    const gen = appset.spec.generators[0].git;
    expect(gen.directories).toEqual([{ path: 'k8s/overlays/*' }]);
    expect(appset.spec.template.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(appset.spec.template.spec.source.path).toContain('.path.path');
    expect(appset.spec.template.spec.project).toBe('eco2');
    // what the generator would produce from this repository
    const generated = fs
      .readdirSync(path.join(K8S, 'overlays'))
      .filter((d) => fs.statSync(path.join(K8S, 'overlays', d)).isDirectory());
    expect(generated.sort()).toEqual(OVERLAYS);
  });

  it('the AppProject allows every kind the overlays render, in the eco2 namespace, from the same repo', () => {
    const project = rendered.argocd.find((d) => d.kind === 'AppProject') as K8sObject;
    const appset = rendered.argocd.find((d) => d.kind === 'ApplicationSet') as K8sObject;
    expect(project.spec.sourceRepos).toContain(appset.spec.template.spec.source.repoURL);
    expect(project.spec.destinations).toContainEqual(
      expect.objectContaining({ namespace: appset.spec.template.spec.destination.namespace }),
    );
    const namespaces = new Set(OVERLAYS.flatMap((o) => rendered[o].map((d) => d.metadata.namespace)));
    namespaces.delete(undefined);
    for (const namespace of namespaces)
      expect(project.spec.destinations).toContainEqual(expect.objectContaining({ namespace }));
    const allowed = (group: string, kind: string, list: { group: string; kind: string }[]): boolean =>
      list.some((x) => x.group === group && (x.kind === '*' || x.kind === kind));
    for (const o of OVERLAYS)
      for (const d of rendered[o]) {
        const group = d.apiVersion.includes('/') ? d.apiVersion.split('/')[0] : '';
        const list =
          d.kind === 'Namespace'
            ? project.spec.clusterResourceWhitelist
            : project.spec.namespaceResourceWhitelist;
        expect({ kind: `${group}/${d.kind}`, allowed: allowed(group, d.kind, list) }).toEqual({
          kind: `${group}/${d.kind}`,
          allowed: true,
        });
      }
  });
});
