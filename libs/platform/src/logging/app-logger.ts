import { Inject, Injectable, type LoggerService } from '@nestjs/common';
import { destination, pino, type Level, type Logger } from 'pino';
import { AppConfig } from '../config/app-config.js';

type NestLevel = Exclude<Level, 'trace'> | 'trace';

/**
 * The process's one pino logger, and Nest's logger (`new Logger('Context')` everywhere) on top of it.
 *
 * Lines go to stdout asynchronously: while one write is in flight the next lines gather in a buffer and
 * leave together, so under load a request costs no write syscall of its own (a synchronous write per
 * line was a tenth of the request path's CPU). pino flushes what is buffered when the process exits.
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
    this.pino = pino({ level: config.string('LOG_LEVEL') }, destination({ dest: 1, sync: false }));
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
  private write(level: NestLevel, message: unknown, params: unknown[]): void {
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
