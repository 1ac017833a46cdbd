import { Inject, Injectable, type LoggerService } from '@nestjs/common';
import { once } from 'node:events';
import { writeSync } from 'node:fs';
import { destination, pino, type Level, type Logger } from 'pino';
import { AppConfig } from '../config/app-config.js';

const LOG_BATCH_BYTES = 8192;
const LOG_BATCH_MS = 100;

/**
 * A pino destination writing lines to `fd` in batches of about LOG_BATCH_BYTES, or after LOG_BATCH_MS at
 * the latest, through sonic-boom (pino's own writer: asynchronous writes, retried on EAGAIN).
 *
 * The batch is gathered here rather than by sonic-boom's `minLength`: on every line, sonic-boom measures
 * the UTF-8 length of all it holds, so an 8 KiB batch cost ~2.5 µs per line in a loop, against 0.7 µs
 * for the line's JSON (issue 14). Joined here, sonic-boom gets one string per batch.
 */
export class BatchedDestination {
  private readonly sink: ReturnType<typeof destination>;
  private lines: string[] = [];
  private waitingLength = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly fd: number) {
    this.sink = destination({ dest: fd, sync: false });
    this.timer = setInterval(() => this.flush(), LOG_BATCH_MS).unref();
    // pino flushes the sink synchronously on exit, but does not know of the lines waiting here.
    process.prependListener('exit', this.writeWaitingSync);
  }

  write(line: string): void {
    this.lines.push(line);
    this.waitingLength += line.length;
    if (this.waitingLength >= LOG_BATCH_BYTES) this.flush();
  }

  /** Hands what is waiting to the sink, which writes it at once. */
  flush(): void {
    if (this.lines.length === 0) return;
    const batch = this.lines.join('');
    this.lines = [];
    this.waitingLength = 0;
    this.sink.write(batch);
  }

  /** Writes what is waiting, then closes the descriptor. */
  end(): Promise<void> {
    clearInterval(this.timer);
    process.removeListener('exit', this.writeWaitingSync);
    this.flush();
    const closed = once(this.sink, 'close').then(() => undefined);
    this.sink.end();
    return closed;
  }

  /** On exit there is no event loop left: the sink's lines, then these, written synchronously. */
  private readonly writeWaitingSync = (): void => {
    if (this.lines.length === 0) return;
    const batch = this.lines.join('');
    this.lines = [];
    try {
      this.sink.flushSync();
      writeSync(this.fd, batch);
    } catch {
      // A broken sink (the reader gone): the process is ending and has nowhere else to report it.
    }
  };
}

/** The process's stdout destination: every app in a test process shares it, as they share fd 1. */
let stdout: BatchedDestination | undefined;

/**
 * The process's one pino logger, and Nest's logger (`new Logger('Context')` everywhere) on top of it.
 *
 * Lines go to stdout in batches: they gather until LOG_BATCH_BYTES are waiting or the oldest has waited
 * LOG_BATCH_MS, then leave in one asynchronous write. A write to stdout (a pipe to the container
 * runtime) wakes its reader, and one per request line was a tenth of the request path's CPU. What is
 * waiting is written when the process exits; a SIGKILL loses at most LOG_BATCH_MS of lines.
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
    stdout ??= new BatchedDestination(1);
    this.pino = pino({ level: config.string('LOG_LEVEL') }, stdout);
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
