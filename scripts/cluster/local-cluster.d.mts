// Types of scripts/cluster/local-cluster.mjs for the TypeScript tests that import it.
import type { ChildProcess } from 'node:child_process';
import type { Server } from 'node:http';

export interface RenderedWorkload {
  name: string;
  kind: 'Deployment' | 'StatefulSet';
  overlay: string;
  env: Record<string, string | { secret: string }>;
  labels: Record<string, string>;
}
export interface IngressRoute {
  prefix: string;
  pathType: string;
  service: string;
  workload: string;
}
export interface S3Target {
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  close?: () => Promise<void>;
}
export interface RunningWorkload {
  name: string;
  port: number;
  proc: ChildProcess;
  env: Record<string, string>;
}
export interface LocalCluster {
  routerPort: number;
  routes: IngressRoute[];
  workloads: RunningWorkload[];
  output: Record<string, string[]>;
  s3: S3Target;
  stop(): Promise<void>;
}
export const REPO: string;
export function renderCluster(opts?: { overlaysDir?: string }): {
  workloads: RenderedWorkload[];
  routes: IngressRoute[];
  configMaps: Record<string, Record<string, string>>;
};
export function matchRoute(routes: IngressRoute[], url: string): IngressRoute | undefined;
export function localSecrets(overrides?: NodeJS.ProcessEnv): Record<string, string>;
export function localEnv(
  workload: RenderedWorkload,
  opts: { port: number; routerPort?: number; stateDir: string; overrides?: NodeJS.ProcessEnv; s3?: S3Target },
): Record<string, string>;
export function createRouter(routes: IngressRoute[], upstreamPort: (workload: string) => number): Server;
export function startCluster(opts?: {
  port?: number;
  basePort?: number;
  only?: string[];
  overrides?: NodeJS.ProcessEnv;
  bootTimeoutMs?: number;
  log?: (line: string) => void;
}): Promise<LocalCluster>;
