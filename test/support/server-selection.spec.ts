import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  chooseServers,
  containerEngineConfigured,
  machineSurroundings,
  missingServersReport,
  SERVER_NEEDS,
  type ServerChoice,
  type Surroundings,
} from './server-selection.js';

/** A machine described by what answers on it; counts how often the container engine is asked. */
function machine(overrides: Partial<Surroundings> & { openPorts?: number[]; binaries?: string[] } = {}) {
  const asked = { engine: 0 };
  const surroundings: Surroundings = {
    env: overrides.env ?? {},
    portAnswers: overrides.portAnswers ?? (async (port) => (overrides.openPorts ?? []).includes(port)),
    onPath: overrides.onPath ?? ((binary) => (overrides.binaries ?? []).includes(binary)),
    containerEngineAnswers: async () => {
      asked.engine++;
      return (await overrides.containerEngineAnswers?.()) ?? false;
    },
  };
  return { surroundings, asked };
}

const vias = (choices: ServerChoice[]): Record<string, string> =>
  Object.fromEntries(choices.map((c) => [c.need.name, c.source.via]));

describe('which servers the e2e tests use', () => {
  it('a TEST_* URL wins over everything else', async () => {
    const { surroundings, asked } = machine({
      env: { TEST_DATABASE_URL: 'postgres://ci@db:5432/x', TEST_REDIS_URL: 'redis://cache:6379' },
      openPorts: [5432, 6379, 5672],
      containerEngineAnswers: async () => true,
    });
    const choices = await chooseServers(surroundings);
    expect(choices.map((c) => c.source)).toEqual([
      { via: 'url', url: 'postgres://ci@db:5432/x' },
      { via: 'url', url: 'redis://cache:6379' },
      { via: 'port', port: 5672 },
    ]);
    expect(asked.engine).toBe(0);
  });

  it('a server on the standard port is used as it is, also on a port its variable names', async () => {
    const { surroundings } = machine({ env: { TEST_REDIS_PORT: '16379' }, openPorts: [5432, 16379, 5672] });
    expect((await chooseServers(surroundings)).map((c) => c.source)).toEqual([
      { via: 'port', port: 5432 },
      { via: 'port', port: 16379 },
      { via: 'port', port: 5672 },
    ]);
  });

  it('installed binaries give a throwaway server, and only when every binary it needs is there', async () => {
    const { surroundings, asked } = machine({
      binaries: ['initdb', 'pg_ctl', 'redis-server', 'rabbitmq-server'],
    });
    expect(vias(await chooseServers(surroundings))).toEqual({
      PostgreSQL: 'throwaway',
      Redis: 'throwaway',
      RabbitMQ: 'missing',
    });
    expect(asked.engine).toBe(1);
  });

  it('a container engine that answers gives containers for what is neither given, running nor installed', async () => {
    const { surroundings, asked } = machine({
      openPorts: [6379],
      containerEngineAnswers: async () => true,
    });
    expect(vias(await chooseServers(surroundings))).toEqual({
      PostgreSQL: 'container',
      Redis: 'port',
      RabbitMQ: 'container',
    });
    // Asked once for both.
    expect(asked.engine).toBe(1);
  });

  it('with none of them, every server is missing and the report says how to install each', async () => {
    const { surroundings } = machine({ env: { TEST_POSTGRES_PORT: '1' } });
    const choices = await chooseServers(surroundings);
    expect(vias(choices)).toEqual({ PostgreSQL: 'missing', Redis: 'missing', RabbitMQ: 'missing' });
    const report = missingServersReport(choices)!;
    const lines = report.trim().split('\n');
    expect(lines).toHaveLength(1 + SERVER_NEEDS.length + 1);
    expect(lines[1]).toBe(
      '- PostgreSQL: no TEST_DATABASE_URL, nothing on port 1, no initdb/pg_ctl on PATH. ' +
        'Debian/Ubuntu: sudo apt-get install -y postgresql; ' +
        'macOS: brew install postgresql@15 && brew services start postgresql@15',
    );
    expect(lines[2]).toContain(
      'Debian/Ubuntu: sudo apt-get install -y redis-server; macOS: brew install redis',
    );
    expect(lines[3]).toContain(
      'Debian/Ubuntu: sudo apt-get install -y rabbitmq-server; macOS: brew install rabbitmq',
    );
  });

  it('reports nothing when no server is missing', async () => {
    const { surroundings } = machine({ openPorts: [5432, 6379, 5672] });
    expect(missingServersReport(await chooseServers(surroundings))).toBeNull();
  });

  it('installs the Debian packages that .ci/run installs', async () => {
    const { readFileSync } = await import('node:fs');
    const ci = readFileSync(new URL('../../.ci/run', import.meta.url), 'utf8');
    for (const need of SERVER_NEEDS) {
      const pkg = need.install.debian.split(' ').at(-1)!;
      expect(ci).toContain(`apt_packages+=(${pkg})`);
    }
  });
});

describe('finding a container engine', () => {
  const folders: string[] = [];
  afterEach(() => folders.splice(0).forEach((f) => rmSync(f, { recursive: true, force: true })));
  const emptyHome = (): string => {
    const home = mkdtempSync(join(tmpdir(), 'eco2-home-'));
    folders.push(home);
    return home;
  };

  it('looks where Testcontainers looks: DOCKER_HOST, its properties file, the rootless sockets', () => {
    const home = emptyHome();
    const bare = { HOME: home, XDG_RUNTIME_DIR: home };
    // This machine has no engine: no root socket either.
    expect(containerEngineConfigured(bare)).toBe(false);
    expect(containerEngineConfigured({ ...bare, DOCKER_HOST: 'tcp://127.0.0.1:2375' })).toBe(true);
    writeFileSync(join(home, 'docker.sock'), '');
    expect(containerEngineConfigured(bare)).toBe(true);
    rmSync(join(home, 'docker.sock'));
    writeFileSync(join(home, '.testcontainers.properties'), 'docker.host=tcp://127.0.0.1:2375\n');
    expect(containerEngineConfigured(bare)).toBe(true);
  });

  it('on a machine with no engine, answers no without loading Testcontainers', async () => {
    const home = emptyHome();
    const started = Date.now();
    const surroundings = machineSurroundings({ HOME: home, XDG_RUNTIME_DIR: home, PATH: '' });
    expect(await surroundings.containerEngineAnswers()).toBe(false);
    expect(surroundings.onPath('node')).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
