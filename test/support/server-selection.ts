import { existsSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { delimiter, join } from 'node:path';
import { portAnswers } from './servers.js';

/** A server the e2e tests need, where to look for it, and how to install it. */
export interface ServerNeed {
  name: 'PostgreSQL' | 'Redis' | 'RabbitMQ';
  /** Names a server to use as it is (the CI and a developer's own instance). */
  urlVariable: 'TEST_DATABASE_URL' | 'TEST_REDIS_URL' | 'TEST_AMQP_URL';
  /** Where a server already running on this machine is looked for: the standard port… */
  standardPort: number;
  /** …unless this variable names another one (the fresh-machine test points it at a closed port). */
  portVariable: 'TEST_POSTGRES_PORT' | 'TEST_REDIS_PORT' | 'TEST_RABBITMQ_PORT';
  /** What a throwaway server is started from (test/support/throwaway*.ts). */
  binaries: readonly string[];
  /** The packages .ci/run installs, on Debian/Ubuntu; and Homebrew's. */
  install: { debian: string; macos: string };
}

export const SERVER_NEEDS: readonly ServerNeed[] = [
  {
    name: 'PostgreSQL',
    urlVariable: 'TEST_DATABASE_URL',
    standardPort: 5432,
    portVariable: 'TEST_POSTGRES_PORT',
    binaries: ['initdb', 'pg_ctl'],
    install: {
      debian: 'sudo apt-get install -y postgresql',
      macos: 'brew install postgresql@15 && brew services start postgresql@15',
    },
  },
  {
    name: 'Redis',
    urlVariable: 'TEST_REDIS_URL',
    standardPort: 6379,
    portVariable: 'TEST_REDIS_PORT',
    binaries: ['redis-server'],
    install: { debian: 'sudo apt-get install -y redis-server', macos: 'brew install redis' },
  },
  {
    name: 'RabbitMQ',
    urlVariable: 'TEST_AMQP_URL',
    standardPort: 5672,
    portVariable: 'TEST_RABBITMQ_PORT',
    binaries: ['rabbitmq-server', 'rabbitmqctl'],
    install: { debian: 'sudo apt-get install -y rabbitmq-server', macos: 'brew install rabbitmq' },
  },
];

/**
 * Where one server comes from, in this order: the URL a `TEST_*` variable names; the one running on
 * its port; a throwaway started from the installed binaries; a container (Testcontainers) when a
 * Docker-compatible engine answers; else it is missing.
 */
export type ServerSource =
  | { via: 'url'; url: string }
  | { via: 'port'; port: number }
  | { via: 'throwaway' }
  | { via: 'container' }
  /** `port` is where a running server was looked for. */
  | { via: 'missing'; port: number };

export interface ServerChoice {
  need: ServerNeed;
  source: ServerSource;
}

/** What the choice looks at, so that a test can fake it. */
export interface Surroundings {
  env: Readonly<Record<string, string | undefined>>;
  portAnswers(port: number): Promise<boolean>;
  onPath(binary: string): boolean;
  /** Asked at most once, and only when a server is neither given, running nor installed. */
  containerEngineAnswers(): Promise<boolean>;
}

export async function chooseServers(
  surroundings: Surroundings,
  needs: readonly ServerNeed[] = SERVER_NEEDS,
): Promise<ServerChoice[]> {
  let engine: Promise<boolean> | undefined;
  const engineAnswers = (): Promise<boolean> => (engine ??= surroundings.containerEngineAnswers());
  return Promise.all(
    needs.map(async (need): Promise<ServerChoice> => {
      const url = surroundings.env[need.urlVariable];
      if (url) return { need, source: { via: 'url', url } };
      const port = Number(surroundings.env[need.portVariable] || need.standardPort);
      if (await surroundings.portAnswers(port)) return { need, source: { via: 'port', port } };
      if (need.binaries.every((binary) => surroundings.onPath(binary)))
        return { need, source: { via: 'throwaway' } };
      if (await engineAnswers()) return { need, source: { via: 'container' } };
      return { need, source: { via: 'missing', port } };
    }),
  );
}

/** One line per missing server with its install commands, or null when none is missing. */
export function missingServersReport(choices: readonly ServerChoice[]): string | null {
  const missing = choices.flatMap(({ need, source }) =>
    source.via === 'missing' ? [{ need, port: source.port }] : [],
  );
  if (missing.length === 0) return null;
  return [
    'The e2e tests need servers this machine does not have (no test ran):',
    ...missing.map(
      ({ need, port }) =>
        `- ${need.name}: no ${need.urlVariable}, nothing on port ${port}, ` +
        `no ${need.binaries.join('/')} on PATH. Debian/Ubuntu: ${need.install.debian}; ` +
        `macOS: ${need.install.macos}`,
    ),
    'Or start a Docker-compatible engine (Docker, Podman, Colima): the tests then run them in containers.',
    '',
  ].join('\n');
}

/**
 * Whether a Docker-compatible engine may be reachable, by the places Testcontainers looks (its
 * strategies: DOCKER_HOST, ~/.testcontainers.properties, the root and rootless sockets, Windows'
 * pipe). Cheap, so a machine without one learns it at once rather than after loading Testcontainers.
 */
export function containerEngineConfigured(env: Readonly<Record<string, string | undefined>>): boolean {
  if (env.DOCKER_HOST || process.platform === 'win32') return true;
  const home = env.HOME ?? homedir();
  return [
    join(home, '.testcontainers.properties'),
    '/var/run/docker.sock',
    env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'docker.sock') : undefined,
    join(home, '.docker', 'run', 'docker.sock'),
    join(home, '.docker', 'desktop', 'docker.sock'),
    join('/run', 'user', String(userInfo().uid), 'docker.sock'),
  ].some((path) => path !== undefined && existsSync(path));
}

/** This machine, as the infra setup sees it. */
export function machineSurroundings(env: NodeJS.ProcessEnv = process.env): Surroundings {
  return {
    env,
    portAnswers: (port) => portAnswers(port),
    onPath: (binary) =>
      (env.PATH ?? '').split(delimiter).some((folder) => folder !== '' && existsSync(join(folder, binary))),
    containerEngineAnswers: async () => {
      if (!containerEngineConfigured(env)) return false;
      const { getContainerRuntimeClient } = await import('testcontainers');
      return getContainerRuntimeClient().then(
        () => true,
        () => false,
      );
    },
  };
}
