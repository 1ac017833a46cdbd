/**
 * Ansible and shell (issue 7 acceptance 4): `ansible-playbook --syntax-check`, `ansible-lint` with the
 * production profile and `yamllint` pass; the labels and taints the playbooks put on the nodes are
 * exactly the ones the overlays select (nodeSelector + toleration), for the 13 non-master nodes of the
 * node plan; site.yml brings the cluster up in order; every shell script passes shellcheck.
 */
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import {
  NODE_PLAN,
  REPO,
  hasCommand,
  listFiles,
  output,
  overlayNames,
  parseYaml,
  podSpecOf,
  render,
  run,
  type K8sObject,
} from './deploy-helpers.js';

const ANSIBLE = path.join(REPO, 'ansible');
const need = (cmd: string): boolean => {
  if (hasCommand(cmd)) return true;
  // .ci/run installs these (apt: ansible-core ansible-lint yamllint shellcheck), so in CI a missing one
  // is a broken install, not a reason to pass: a skipped lint once let a yamllint failure reach main.
  if (process.env.CI) throw new Error(`${cmd} is not installed, and CI must run it`);
  console.log(
    `SKIPPED: ${cmd} is not installed (apt-get install -y ansible-core ansible-lint yamllint shellcheck)`,
  );
  return false;
};

interface NodeEntry {
  name: string;
  workload: string;
  domain: string;
}
const groupVars = parseYaml(fs.readFileSync(path.join(ANSIBLE, 'group_vars/all/main.yml'), 'utf8')) as {
  eco2_nodes: NodeEntry[];
};

describe('ansible', () => {
  it('site.yml passes ansible-playbook --syntax-check', () => {
    if (!need('ansible-playbook')) return;
    const r = run('ansible-playbook', ['-i', 'inventory/hosts.example.ini', '--syntax-check', 'site.yml'], {
      cwd: ANSIBLE,
      env: { ...process.env, ANSIBLE_NOCOLOR: '1' },
    });
    expect(r.status === 0 ? 'ok' : output(r)).toBe('ok');
  });

  it('passes ansible-lint with the production profile', () => {
    if (!need('ansible-lint')) return;
    const config = fs.readFileSync(path.join(ANSIBLE, '.ansible-lint'), 'utf8');
    expect(config).toMatch(/^profile: production$/m);
    const r = run('ansible-lint', ['--profile', 'production', '--nocolor'], {
      cwd: ANSIBLE,
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 180_000,
    });
    expect(r.status === 0 ? 'ok' : output(r)).toBe('ok');
  }, 180_000);

  it('yamllint passes on ansible/, k8s/ and .github/', () => {
    if (!need('yamllint')) return;
    const dirs = ['ansible', 'k8s', '.github', 'atlantis.yaml'].filter((d) =>
      fs.existsSync(path.join(REPO, d)),
    );
    const r = run('yamllint', ['-s', '-f', 'parsable', '-c', 'ansible/.yamllint', ...dirs]);
    expect(r.status === 0 ? 'ok' : output(r)).toBe('ok');
  });

  it('site.yml brings the cluster up in order', () => {
    const site = parseYaml(fs.readFileSync(path.join(ANSIBLE, 'site.yml'), 'utf8')) as {
      'ansible.builtin.import_playbook': string;
    }[];
    const order = site.map((p) => p['ansible.builtin.import_playbook']);
    for (const p of order) expect(fs.existsSync(path.join(ANSIBLE, p))).toBe(true);
    const at = (re: RegExp): number => order.findIndex((p) => re.test(p));
    const steps = [
      /os-prep/,
      /containerd/,
      /kubernetes-packages/,
      /master-init/,
      /worker-join/,
      /provider-id/,
      /calico/,
      /node-labels/,
      /addons/,
      /cert-manager/,
      /alb-controller/,
      /argocd/,
      /data-services/,
      /etcd-backup/,
    ];
    const positions = steps.map(at);
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(at(/secrets/)).toBeLessThan(at(/argocd/)); // pods start with their Secret present
  });

  it('labels and taints every non-master node of the node plan', () => {
    const expected = NODE_PLAN.filter((n) => n.workload !== 'control-plane').map((n) => ({
      name: n.name,
      workload: n.workload,
      domain: n.domain,
    }));
    expect(groupVars.eco2_nodes).toEqual(expected);
    const play = parseYaml(fs.readFileSync(path.join(ANSIBLE, 'playbooks/08-node-labels.yml'), 'utf8')) as {
      tasks: {
        'kubernetes.core.k8s': {
          kind: string;
          name: string;
          definition: {
            metadata: { labels: Record<string, string> };
            spec: { taints: Record<string, string>[] };
          };
        };
        loop: string;
      }[];
    }[];
    const task = play[0].tasks[0];
    const k8s = task['kubernetes.core.k8s'];
    expect(task.loop).toBe('{{ eco2_nodes }}');
    expect(k8s.kind).toBe('Node');
    expect(k8s.name).toBe('{{ item.name }}');
    expect(k8s.definition.metadata.labels).toEqual({
      workload: '{{ item.workload }}',
      domain: '{{ item.domain }}',
    });
    expect(k8s.definition.spec.taints).toEqual([
      { key: 'domain', value: '{{ item.domain }}', effect: 'NoSchedule' },
    ]);
  });

  it('the labels/taints set are exactly the ones the overlays select and tolerate', () => {
    const set = new Map(groupVars.eco2_nodes.map((n) => [n.domain, n]));
    const selected = new Set<string>();
    const docs: K8sObject[] = overlayNames().flatMap((o) => render(`overlays/${o}`));
    for (const d of docs.filter((x) => ['Deployment', 'StatefulSet', 'Job'].includes(x.kind))) {
      const pod = podSpecOf(d);
      const sel = pod.nodeSelector ?? {};
      const node = set.get(sel.domain);
      expect({ workload: d.metadata.name, node: node?.name }).toEqual({
        workload: d.metadata.name,
        node: expect.any(String),
      });
      expect(sel).toEqual({ workload: node!.workload, domain: node!.domain });
      expect(pod.tolerations).toContainEqual({
        key: 'domain',
        operator: 'Equal',
        value: node!.domain,
        effect: 'NoSchedule',
      });
      selected.add(node!.domain);
    }
    // every app/infra node has something scheduled on it; monitoring is filled by kube-prometheus-stack
    const monitoring = fs.readFileSync(path.join(ANSIBLE, 'playbooks/12-monitoring.yml'), 'utf8');
    expect(monitoring).toMatch(/domain: monitoring/);
    expect(monitoring).toMatch(/value: monitoring\s+effect: NoSchedule/);
    selected.add('monitoring');
    expect([...selected].sort()).toEqual([...set.keys()].sort());
  });
});

describe('shell scripts', () => {
  it('pass shellcheck', () => {
    if (!need('shellcheck')) return;
    const scripts = [
      ...listFiles(path.join(REPO, 'scripts')).map((f) => path.join('scripts', f)),
      ...listFiles(ANSIBLE).map((f) => path.join('ansible', f)),
    ].filter((f) => f.endsWith('.sh'));
    expect(scripts).toContain(path.join('scripts', 'cluster', 'rebuild.sh'));
    const r = run('shellcheck', ['-x', ...scripts]);
    expect(r.status === 0 ? 'ok' : output(r)).toBe('ok');
    for (const s of scripts) expect(fs.statSync(path.join(REPO, s)).mode & 0o100).toBeTruthy();
  });

  it('the rebuild script runs terraform before ansible and renders the inventory from terraform', () => {
    const s = fs.readFileSync(path.join(REPO, 'scripts/cluster/rebuild.sh'), 'utf8');
    expect(s.indexOf('terraform -chdir="${tf_dir}" apply')).toBeGreaterThan(0);
    expect(s.indexOf('output -raw ansible_inventory')).toBeGreaterThan(s.indexOf('apply -input=false'));
    expect(s.indexOf('ansible-playbook -i')).toBeGreaterThan(s.indexOf('output -raw ansible_inventory'));
    expect(s).toMatch(/^set -euo pipefail$/m);
  });
});
