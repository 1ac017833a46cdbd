import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import { afterEach } from 'vitest';

/**
 * Setup file of the `unit` project (vitest.config.ts): a unit test needs no server and no subprocess.
 * Connections are allowed only to a server this test process listens on itself (a local HTTP stand-in,
 * a Nest app on port 0); anything else — PostgreSQL, Redis, RabbitMQ, S3, the internet, a Unix socket —
 * throws at the call and fails the test, even when the client swallows the error and retries. Spawning a
 * process fails the same way. Such a test belongs in a `*.e2e-spec.ts` file.
 */
export class UnitIsolationViolation extends Error {
  override name = 'UnitIsolationViolation';
}

interface Guard {
  ownPorts: Set<number>;
  violations: string[];
}

const LOOPBACK = new Set([undefined, '', 'localhost', '127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** The target of `socket.connect(...)` in any of its call forms, including Node's normalised array. */
function targetOf(args: unknown[]): { port?: number; host?: string; path?: string } {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (first !== null && typeof first === 'object') {
    const options = first as { port?: number | string; host?: string; path?: string };
    if (options.path) return { path: options.path };
    return { port: Number(options.port), host: options.host };
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return { path: first };
  return { port: Number(first), host: typeof args[1] === 'string' ? args[1] : undefined };
}

/** Patches node:net and node:child_process once per worker process (files may share a worker). */
function install(): Guard {
  const guard: Guard = { ownPorts: new Set(), violations: [] };
  const refuse = (what: string): never => {
    const message = `unit tests must not ${what}: move the test to a *.e2e-spec.ts file`;
    guard.violations.push(message);
    throw new UnitIsolationViolation(message);
  };

  const listen = net.Server.prototype.listen;
  net.Server.prototype.listen = function (this: net.Server, ...args: unknown[]) {
    this.once('listening', () => {
      const address = this.address();
      if (address && typeof address === 'object') {
        guard.ownPorts.add(address.port);
        this.once('close', () => guard.ownPorts.delete(address.port));
      }
    });
    return listen.apply(this, args as Parameters<typeof listen>);
  } as typeof listen;

  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    const target = targetOf(args);
    if (target.path) refuse(`connect to the socket ${target.path}`);
    if (!LOOPBACK.has(target.host) || !guard.ownPorts.has(target.port!))
      refuse(`connect to ${target.host ?? 'localhost'}:${target.port} (not a server of this test process)`);
    return connect.apply(this, args as Parameters<typeof connect>);
  } as typeof connect;

  for (const name of [
    'spawn',
    'spawnSync',
    'exec',
    'execSync',
    'execFile',
    'execFileSync',
    'fork',
  ] as const) {
    (childProcess as Record<string, unknown>)[name] = (command: string) =>
      refuse(`start a process (${command})`);
  }
  syncBuiltinESMExports();
  return guard;
}

const GUARD = Symbol.for('eco2.unitIsolation');
const guard: Guard = ((globalThis as Record<symbol, Guard | undefined>)[GUARD] ??= install());

/** Violations since the last call; each test's are reported after it even if its code caught them. */
export function takeViolations(): string[] {
  return guard.violations.splice(0);
}

afterEach(() => {
  const seen = takeViolations();
  if (seen.length > 0) throw new UnitIsolationViolation(seen.join('\n'));
});
