import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';
import { freePort } from '../../test/support/servers.js';
import { parse as parseYaml } from 'yaml';
import { processRssBytes } from './proc.js';
import type { BenchOptions } from './report.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const DOCKERFILE = readFileSync(`${ROOT}Dockerfile`, 'utf8').replace(/\\\n/g, ' ');
/**
 * The image's command (the Dockerfile's last exec-form CMD, e.g. `["node", "dist/bundle/main.js"]`):
 * its node flags and entry, so a benchmark starts the app exactly as a pod does.
 */
function imageCommand(): { nodeArgs: string[]; entry: string } {
  const cmds = [...DOCKERFILE.matchAll(/^CMD (\[.*\])$/gm)];
  const [node, ...rest] = JSON.parse(cmds.at(-1)![1]) as string[];
  if (node !== 'node' || rest.length === 0) throw new Error(`unexpected Dockerfile CMD: ${cmds.at(-1)![1]}`);
  return { nodeArgs: rest.slice(0, -1), entry: rest.at(-1)! };
}
const { nodeArgs: IMAGE_NODE_ARGS, entry: ENTRY } = imageCommand();

/** A variable the image sets (`ENV NAME="…"`, the last one that sets it). */
export function imageEnv(name: string): string {
  const set = [...DOCKERFILE.matchAll(new RegExp(`^ENV .*\\b${name}=(?:"([^"]*)"|(\\S+))`, 'gm'))];
  if (set.length === 0) throw new Error(`the Dockerfile sets no ${name}`);
  const [, quoted, bare] = set.at(-1)!;
  return quoted ?? bare;
}

/** `NODE_OPTIONS` as the image sets it: what an API pod runs with. */
export function imageNodeOptions(): string {
  return imageEnv('NODE_OPTIONS');
}

/** `NODE_OPTIONS` as k8s/components/worker overrides it for every worker pod. */
function workerNodeOptions(): string {
  const component = parseYaml(readFileSync(`${ROOT}k8s/components/worker/kustomization.yaml`, 'utf8')) as {
    patches: { patch?: string }[];
  };
  const env = component.patches
    .filter((p) => p.patch)
    .flatMap(
      (p) =>
        (
          parseYaml(p.patch!) as { spec?: { template?: { spec?: { containers?: { env?: EnvVar[] }[] } } } }
        ).spec?.template?.spec?.containers?.flatMap((c) => c.env ?? []) ?? [],
    );
  const value = env.find((e) => e.name === 'NODE_OPTIONS')?.value;
  if (value === undefined) throw new Error('k8s/components/worker sets no NODE_OPTIONS');
  return value;
}
interface EnvVar {
  name: string;
  value?: string;
}
const NODE_OPTIONS = { api: imageNodeOptions(), worker: workerNodeOptions() };
/** How the image's malloc returns memory (Dockerfile): every pod, API and worker, runs with it. */
const IMAGE_GLIBC_TUNABLES = imageEnv('GLIBC_TUNABLES');

/** The `NODE_OPTIONS` a pod with this env runs with: the worker component's for workers, else the image's. */
function podNodeOptions(env: NodeJS.ProcessEnv): string {
  return env.APP_ROLE === 'worker' ? NODE_OPTIONS.worker : NODE_OPTIONS.api;
}

/** Builds the app (tsc, then the bundle) once per benchmark run (`npm run bench` builds once for all), as the image does. */
let built = process.env.ECO2_BENCH_BUILT === '1';
export function buildApp(): void {
  if (built) return;
  process.stderr.write('building the app (npm run build)…\n');
  const result = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0 || !existsSync(`${ROOT}${ENTRY}`)) throw new Error('build failed');
  built = true;
}

/**
 * The built app (the image's command, `node dist/bundle/main.js`, with the pod's NODE_OPTIONS and the
 * image's GLIBC_TUNABLES) as its own OS process, as a pod runs it.
 */
export interface BuiltApp {
  child: ChildProcess;
  pid: number;
  baseUrl: string;
  output: string[];
  /** Milliseconds from spawn to the first 200 from /health/ready. */
  readyMs: number;
  rssBytes(): number;
  stop(): Promise<void>;
}

/** The node arguments that write a CPU profile of an app process into `--cpu-prof <dir>`, if asked for. */
export function profileOf(options: BenchOptions): { nodeArgs?: string[] } {
  return options.cpuProf ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${resolve(options.cpuProf)}`] } : {};
}

export async function startBuiltApp(
  env: NodeJS.ProcessEnv,
  options: {
    nodeArgs?: string[];
    readyTimeoutMs?: number;
    /** Another build output than the image's (e.g. the tsc output the bundle is made from). */
    entry?: string;
    /** A command put before node's, to run it (e.g. valgrind and its options). */
    launcher?: string[];
  } = {},
): Promise<BuiltApp> {
  buildApp();
  const port = await freePort();
  const started = performance.now();
  const entry = options.entry ?? ENTRY;
  const [command, ...args] = [
    ...(options.launcher ?? []),
    process.execPath,
    ...IMAGE_NODE_ARGS,
    ...(options.nodeArgs ?? []),
    entry,
  ];
  const child = spawn(command, args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      NODE_OPTIONS: podNodeOptions(env),
      GLIBC_TUNABLES: IMAGE_GLIBC_TUNABLES,
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer): void => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  let readyMs: number | undefined;
  while (readyMs === undefined) {
    if (child.exitCode !== null) throw new Error(`app exited with ${child.exitCode}:\n${output.join('')}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`app not ready in time:\n${output.join('')}`);
    }
    const ok = await fetch(`${baseUrl}/health/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) readyMs = performance.now() - started;
    else await new Promise((r) => setTimeout(r, 20));
  }
  const pid = child.pid!;
  return {
    child,
    pid,
    baseUrl,
    output,
    readyMs,
    rssBytes: () => processRssBytes(pid),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
