import { Inject, Injectable, type LoggerService } from '@nestjs/common';
import { destination, pino, type DestinationStream, type Level, type Logger } from 'pino';
import { AppConfig } from '../config/app-config.js';

const LOG_BATCH_BYTES = 8192;
const LOG_BATCH_MS = 100;

export interface BatchedDestination {
  stream: DestinationStream;
  /** pino's `streamWrite` hook: marks a line waiting for the timer. */
  noteLine(line: string): string;
}

/** Lines written to `fd` in batches of LOG_BATCH_BYTES, or after LOG_BATCH_MS at the latest. */
export function batchedDestination(fd: number): BatchedDestination {
  const stream = destination({ dest: fd, sync: false, minLength: LOG_BATCH_BYTES });
  let waiting = false;
  // Below LOG_BATCH_BYTES sonic-boom holds lines until flushed; this sends the rest on time.
  const timer = setInterval(() => {
    if (!waiting) return;
    waiting = false;
    stream.flush();
  }, LOG_BATCH_MS).unref();
  stream.once('close', () => clearInterval(timer));
  return {
    stream,
    noteLine: (line) => {
      waiting = true;
      return line;
    },
  };
}

/** The process's stdout destination: every app in a test process shares it, as they share fd 1. */
let stdout: BatchedDestination | undefined;

/**
 * The process's one pino logger, and Nest's logger (`new Logger('Context')` everywhere) on top of it.
 *
 * Lines go to stdout in batches: they gather until LOG_BATCH_BYTES are waiting or the oldest has waited
 * LOG_BATCH_MS, then leave in one asynchronous write. A write to stdout (a pipe to the container
 * runtime) wakes its reader, and one per request line was a tenth of the request path's CPU. pino
 * writes what is waiting when the process exits; a SIGKILL loses at most LOG_BATCH_MS of lines.
 *
 * There is no per-request child logger and no async context: each request is logged once, with its
 * id, when it ends (observeRequests), and lines that concern a request name it themselves. An
 * AsyncLocalStorage would put a hook on every promise the process creates, and a child logger per
 * request was most of what logging cost on the request path (issue 14).
 */
@Injectable()
export class AppLogger implements LoggerService {
  readonly pino: Logger;

  constructor(@Inject(AppConfig) config: AppConfig) {
    stdout ??= batchedDestination(1);
    this.pino = pino(
      { level: config.string('LOG_LEVEL'), hooks: { streamWrite: stdout.noteLine } },
      stdout.stream,
    );
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /**
   * Nest's calling convention: the context is the last parameter. Our code logs pino-style through it
   * (`logger.warn({ jobId }, 'message')`): an object first is the line's fields, the string after it
   * its message. Nest's own exception handlers pass `(message, stack, context)`.
   */
  private write(level: Level, message: unknown, params: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    const rest = params.length > 0 ? params.slice(0, -1) : params;
    if (params.length > 0) fields.context = params[params.length - 1];
    if (message instanceof Error) {
      fields.err = message;
      this.pino[level](fields, ...(rest as []));
    } else if (typeof message === 'object' && message !== null) {
      Object.assign(fields, message);
      this.pino[level](fields, ...(rest as []));
    } else if (level === 'error' && rest.length === 1 && typeof rest[0] === 'string') {
      const error = new Error(String(message));
      error.stack = rest[0];
      this.pino[level]({ ...fields, err: error });
    } else {
      this.pino[level](fields, String(message), ...(rest as []));
    }
  }
}
