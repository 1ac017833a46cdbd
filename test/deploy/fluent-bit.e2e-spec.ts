/**
 * Cluster logging (issue 13 item 1): the Fluent Bit DaemonSet of the infrastructure overlay, its
 * configuration and RBAC, checked against real log lines of the backend. Debian packages no Fluent Bit,
 * so the pipeline is replayed here from the rendered configuration itself: the lines our logger writes
 * (a real `npm start` process serving a request with an X-Request-Id) are framed as containerd writes
 * them, matched by the configured CRI regex and time format, decoded as the configured JSON parser
 * does, given the pod's labels as the kubernetes filter does, and routed by the output's log-group
 * template. Renaming a field, breaking the regex or the template makes it fail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppProcess, type AppProcess } from '../support/app-process.js';
import { WORKLOADS, parseYaml, podSpecOf, render, workloadOf, type K8sObject } from './deploy-helpers.js';

interface FluentBitConfig {
  service: Record<string, unknown>;
  parsers: { name: string; format: string; regex?: string; time_key?: string; time_format?: string }[];
  pipeline: {
    inputs: Record<string, string | boolean | number>[];
    filters: Record<string, string | boolean | number>[];
    outputs: Record<string, string | boolean | number>[];
  };
}

type LogRecord = Record<string, unknown>;

const infrastructure = (): K8sObject[] => render('overlays/infrastructure');
const find = (kind: string, name: string): K8sObject => {
  const found = infrastructure().find((d) => d.kind === kind && d.metadata.name === name);
  if (!found) throw new Error(`${kind}/${name} is not rendered by the infrastructure overlay`);
  return found;
};
const config = (): FluentBitConfig =>
  parseYaml(find('ConfigMap', 'fluent-bit-config').data!['fluent-bit.yaml']) as FluentBitConfig;
const parser = (name: unknown) => {
  const found = config().parsers.find((p) => p.name === name);
  if (!found) throw new Error(`parser ${String(name)} is not defined`);
  return found;
};

/** Fluent Bit's tail input: `*` in the path glob matches within one path segment. */
function globMatches(glob: string, file: string): boolean {
  const pattern = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*');
  return new RegExp(`^${pattern}$`).test(file);
}

/** strptime → RegExp for the directives a CRI time uses; an unsupported directive fails the test. */
function strptimeRegExp(format: string): RegExp {
  const directives: Record<string, string> = {
    Y: '\\d{4}',
    m: '\\d{2}',
    d: '\\d{2}',
    H: '\\d{2}',
    M: '\\d{2}',
    S: '\\d{2}',
    L: '\\d{1,9}', // Fluent Bit's fractional seconds
    z: '(?:Z|[+-]\\d{2}:?\\d{2})',
  };
  const body = format.replace(
    /%(.)|([^%]+)/g,
    (_, directive: string | undefined, literal: string | undefined) => {
      if (literal) return literal.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
      const pattern = directives[directive!];
      if (!pattern) throw new Error(`time_format directive %${directive} not understood by this test`);
      return pattern;
    },
  );
  return new RegExp(`^${body}$`);
}

/** A record accessor (`$kubernetes['labels']['app.kubernetes.io/name']`) inside a template string. */
function expandTemplate(template: string, record: LogRecord): string {
  return template.replace(/\$([A-Za-z_][\w]*)((?:\['[^']+'\])*)/g, (_, head: string, path: string) => {
    let value: unknown = record[head];
    for (const [, key] of path.matchAll(/\['([^']+)'\]/g)) value = (value as LogRecord | undefined)?.[key];
    if (typeof value !== 'string') throw new Error(`template ${template}: no value at $${head}${path}`);
    return value;
  });
}

/**
 * The configured pipeline for one line of a container log file: tail + CRI parser, the parser
 * filter (JSON, reserve_data), the kubernetes filter's metadata, then the output's group and stream.
 */
function ship(
  fileLine: string,
  pod: { name: string; labels: Record<string, string> },
): { record: LogRecord; group: string; stream: string } {
  const { inputs, filters, outputs } = config().pipeline;
  const cri = parser(inputs[0].parser);
  expect(cri.format).toBe('regex');
  const match = new RegExp(cri.regex!).exec(fileLine);
  if (!match?.groups) throw new Error(`the ${cri.name} regex does not match: ${fileLine}`);
  const record: LogRecord = { ...match.groups };
  if (cri.time_key) {
    expect(String(record[cri.time_key])).toMatch(strptimeRegExp(cri.time_format!));
    delete record[cri.time_key]; // it became the record's timestamp
  }
  for (const filter of filters) {
    if (filter.name === 'parser') {
      const json = parser(filter.parser);
      expect(json.format).toBe('json');
      const raw = String(record[String(filter.key_name)]);
      let decoded: LogRecord | undefined;
      try {
        decoded = JSON.parse(raw) as LogRecord;
      } catch {
        decoded = undefined; // Fluent Bit leaves the record as it was
      }
      if (decoded) {
        const kept = filter.reserve_data ? record : {};
        delete kept[String(filter.key_name)];
        Object.assign(record, { ...kept, ...decoded });
        if (!filter.reserve_data)
          for (const key of Object.keys(record)) if (!(key in decoded)) delete record[key];
      }
    } else if (filter.name === 'kubernetes') {
      record.kubernetes = {
        pod_name: pod.name,
        namespace_name: 'eco2',
        container_name: 'app',
        ...(filter.labels ? { labels: pod.labels } : {}),
      };
    } else {
      throw new Error(`filter ${String(filter.name)} is not replayed by this test`);
    }
  }
  const output = outputs[0];
  expect(output.name).toBe('cloudwatch_logs');
  return {
    record,
    group: expandTemplate(String(output.log_group_template), record),
    stream: expandTemplate(String(output.log_stream_template), record),
  };
}

/** containerd's log line: RFC 3339 time with nanoseconds, stream, full-line tag, the line. */
const criLine = (line: string, stream = 'stdout'): string =>
  `${new Date().toISOString().replace('Z', '123456Z')} ${stream} F ${line}`;

describe('Fluent Bit: manifests, configuration and RBAC', () => {
  it('runs on every node that runs backend pods, reading /var/log, with its config mounted where it is read', () => {
    const daemonSet = find('DaemonSet', 'fluent-bit');
    const pod = podSpecOf(daemonSet) as ReturnType<typeof podSpecOf> & {
      serviceAccountName: string;
      affinity: {
        nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: unknown[] } };
      };
    };
    expect(
      pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms,
    ).toEqual([{ matchExpressions: [{ key: 'workload', operator: 'In', values: ['api', 'worker'] }] }]);
    // Every workload's node taint is tolerated.
    for (const w of WORKLOADS) {
      const toleration = podSpecOf(workloadOf(render(`overlays/${w.name}`), w.name)!).tolerations![0];
      expect(
        pod.tolerations!.some(
          (t) => t.key === toleration.key && t.operator === 'Exists' && t.effect === toleration.effect,
        ),
      ).toBe(true);
    }
    const [container] = pod.containers as ((typeof pod.containers)[number] & { args: string[] })[];
    const configDir = container.args[container.args.indexOf('--config') + 1].replace(/\/[^/]+$/, '');
    const mountOf = (volume: string) => container.volumeMounts!.find((m) => m.name === volume)!.mountPath;
    const volumeNamed = (name: string) => pod.volumes!.find((v) => v.name === name)!;
    const configVolume = pod.volumes!.find((v) => v.configMap?.name === 'fluent-bit-config')!;
    expect(mountOf(configVolume.name)).toBe(configDir);
    expect(container.args.at(-1)).toBe(`${configDir}/fluent-bit.yaml`);
    expect(volumeNamed('varlog').hostPath?.path).toBe('/var/log');
    expect(mountOf('varlog')).toBe('/var/log');
    // Tail positions and the buffer live on the state mount.
    const statePath = mountOf('state');
    expect(String(config().pipeline.inputs[0].db).startsWith(`${statePath}/`)).toBe(true);
    expect(String(config().service['storage.path']).startsWith(`${statePath}/`)).toBe(true);
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(pod.serviceAccountName).toBe('fluent-bit');
  });

  it('may read the pods of eco2 and nothing else', () => {
    const role = find('Role', 'fluent-bit-read-pods');
    const binding = find('RoleBinding', 'fluent-bit-read-pods');
    const account = find('ServiceAccount', 'fluent-bit');
    expect(role.metadata.namespace).toBe('eco2');
    expect((role as unknown as { rules: unknown }).rules).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
    ]);
    expect(binding.metadata.namespace).toBe('eco2');
    expect((binding as unknown as { subjects: unknown }).subjects).toEqual([
      { kind: 'ServiceAccount', name: account.metadata.name, namespace: account.metadata.namespace },
    ]);
    expect(infrastructure().filter((d) => d.kind.startsWith('Cluster'))).toEqual([]);
  });

  it('tails exactly the app containers of eco2 and tags them as the kubernetes filter expects', () => {
    const [tail] = config().pipeline.inputs;
    const kubernetes = config().pipeline.filters.find((f) => f.name === 'kubernetes')!;
    const file = (pod: string, container: string, namespace = 'eco2') =>
      `/var/log/containers/${pod}_${namespace}_${container}-${'a1'.repeat(32)}.log`;
    expect(globMatches(String(tail.path), file('character-7d9cf5b8d4-x2x8q', 'app'))).toBe(true);
    expect(globMatches(String(tail.path), file('ai-worker-0', 'app'))).toBe(true);
    expect(globMatches(String(tail.path), file('postgresql-0', 'postgresql'))).toBe(false);
    expect(globMatches(String(tail.path), file('fluent-bit-abcde', 'fluent-bit', 'logging'))).toBe(false);
    // tail expands `kube.*` with the file path, slashes as dots; the filter strips this prefix.
    const tag = String(tail.tag).replace(
      '*',
      file('character-7d9cf5b8d4-x2x8q', 'app').replace(/\//g, '.').slice(1),
    );
    expect(tag.startsWith(String(kubernetes.kube_tag_prefix))).toBe(true);
    expect(String(kubernetes.match).replace('*', '')).toBe(String(tail.tag).replace('*', ''));
  });

  it('writes into the groups Terraform creates, never creating one, in the cluster region', async () => {
    const [output] = config().pipeline.outputs;
    expect(output.auto_create_group).toBe(false);
    expect(output).not.toHaveProperty('log_retention_days'); // retention is Terraform's (no PutRetentionPolicy)
    const fs = await import('node:fs');
    const terraform = (file: string) =>
      fs.readFileSync(new URL(`../../terraform/${file}`, import.meta.url), 'utf8');
    const groups = [...terraform('locals.tf').matchAll(/log_groups\s*=\s*\[([^\]]*)\]/g)][0][1]
      .split(',')
      .map((g) => `/eco2/${g.trim().replace(/"/g, '')}`);
    expect(groups).toContain(output.log_group_name);
    expect(terraform('variables.tf')).toMatch(
      new RegExp(`variable "region" \\{[^}]*default\\s*=\\s*"${String(output.region)}"`),
    );
    for (const w of WORKLOADS) {
      const labels = (workloadOf(render(`overlays/${w.name}`), w.name) as K8sObject).spec.template.metadata
        .labels;
      const group = expandTemplate(String(output.log_group_template), { kubernetes: { labels } });
      expect({ [w.name]: groups.includes(group) }).toEqual({ [w.name]: true });
    }
  });
});

describe('Fluent Bit: real log lines of the backend through the configured pipeline', () => {
  let app: AppProcess;
  const requestId = 'fluent-bit-check-7f3a';

  beforeAll(async () => {
    app = await startAppProcess({ APP_ROLE: 'api', APP_DOMAINS: 'character', LOG_LEVEL: 'info' });
    await app.waitForReady();
    const response = await fetch(`${app.baseUrl}/api/v1/character/catalog/no-such-code`, {
      headers: { 'X-Request-Id': requestId },
    });
    expect(response.status).toBe(404);
    const deadline = Date.now() + 10_000;
    while (!app.output.some((line) => line.includes(requestId)) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
  });

  afterAll(() => app?.stop());

  it('turns every JSON line into fields in the deployment’s group and the pod’s stream, request id kept', () => {
    const pod = {
      name: 'character-7d9cf5b8d4-x2x8q',
      labels: (workloadOf(render('overlays/character'), 'character') as K8sObject).spec.template.metadata
        .labels,
    };
    const jsonLines = app.output.filter((line) => line.startsWith('{'));
    expect(jsonLines.length).toBeGreaterThan(3);
    for (const line of jsonLines) {
      const shipped = ship(criLine(line), pod);
      expect(shipped.group).toBe('/eco2/character');
      expect(shipped.stream).toBe(pod.name);
      expect(shipped.record).toMatchObject({
        stream: 'stdout',
        level: expect.any(Number),
        msg: expect.any(String),
      });
      expect(shipped.record).not.toHaveProperty('log');
    }
    const ofRequest = jsonLines
      .map((line) => ship(criLine(line), pod).record)
      .filter((r) => r.request_id === requestId);
    expect(ofRequest.length).toBeGreaterThan(0);
    expect(ofRequest[0]).toMatchObject({ request_id: requestId, res: { statusCode: 404 } });
  });

  it('keeps a line that is not JSON (a crash trace on stderr) as text', () => {
    const shipped = ship(criLine('    at Object.<anonymous> (/app/dist/apps/main.js:1:1)', 'stderr'), {
      name: 'scan-1',
      labels: { 'app.kubernetes.io/name': 'scan' },
    });
    expect(shipped.record).toMatchObject({
      stream: 'stderr',
      log: '    at Object.<anonymous> (/app/dist/apps/main.js:1:1)',
    });
    expect(shipped.group).toBe('/eco2/scan');
  });
});
