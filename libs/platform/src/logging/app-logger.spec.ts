import { Logger } from '@nestjs/common';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { AppConfig } from '../config/app-config.js';
import { PLATFORM_ENV } from '../config/env-schema.js';
import { AppLogger, BatchedDestination } from './app-logger.js';

function appLogger(level = 'info'): AppLogger {
  return new AppLogger(AppConfig.load(PLATFORM_ENV, { NODE_ENV: 'test', LOG_LEVEL: level }));
}

describe('AppLogger (Nest logger on pino)', () => {
  it('takes the context from Nest and the fields and message pino-style', () => {
    const logger = appLogger();
    const warn = vi.spyOn(logger.pino, 'warn').mockImplementation(() => undefined);
    logger.warn({ jobId: 'j1' }, 'could not read', 'ScanWorker');
    logger.warn('plain text', 'ScanWorker');
    expect(warn.mock.calls).toEqual([
      [{ context: 'ScanWorker', jobId: 'j1' }, 'could not read'],
      [{ context: 'ScanWorker' }, 'plain text'],
    ]);
  });

  it("keeps an Error as `err`, and Nest's (message, stack, context) as one error with that stack", () => {
    const logger = appLogger();
    const error = vi.spyOn(logger.pino, 'error').mockImplementation(() => undefined);
    const failure = new Error('boom');
    logger.error(failure, 'Boot');
    logger.error('handler failed', 'Error: handler failed\n    at somewhere', 'ExceptionsHandler');
    expect(error.mock.calls[0]).toEqual([{ context: 'Boot', err: failure }]);
    const [fields] = error.mock.calls[1] as unknown as [{ context: string; err: Error }];
    expect(fields.context).toBe('ExceptionsHandler');
    expect(fields.err.message).toBe('handler failed');
    expect(fields.err.stack).toBe('Error: handler failed\n    at somewhere');
  });

  it('builds nothing for a level that is off, and serves as the logger behind Nest’s Logger', () => {
    const logger = appLogger('warn');
    const debug = vi.spyOn(logger.pino, 'debug');
    const info = vi.spyOn(logger.pino, 'info').mockImplementation(() => undefined);
    logger.debug({ big: 'x' }, 'ignored', 'Periodic');
    expect(debug).not.toHaveBeenCalled();
    Logger.overrideLogger(logger);
    try {
      vi.spyOn(logger.pino, 'isLevelEnabled').mockReturnValue(true);
      new Logger('Boot').log('listening');
      expect(info).toHaveBeenCalledWith({ context: 'Boot' }, 'listening');
    } finally {
      Logger.overrideLogger(false);
    }
  });
});

describe('BatchedDestination', () => {
  it('holds lines below the batch size and writes them together within LOG_BATCH_MS', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eco2-log-'));
    const path = join(dir, 'out.log');
    // The destination owns the descriptor: ending it closes the file, and its timer stops.
    const out = new BatchedDestination(openSync(path, 'w'));
    try {
      const logger = pino({}, out);
      for (let i = 0; i < 10; i++) logger.info({ i }, 'line');
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(readFileSync(path, 'utf8')).toBe('');
      await expect.poll(() => readFileSync(path, 'utf8').split('\n').length - 1, { timeout: 1000 }).toBe(10);
      logger.info({ big: 'x'.repeat(9000) }, 'over the batch size');
      await expect
        .poll(() => readFileSync(path, 'utf8').includes('over the batch size'), { timeout: 80, interval: 5 })
        .toBe(true);
      logger.info('waiting when the destination ends');
    } finally {
      await out.end();
    }
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual([
      ...Array.from({ length: 10 }, () => 'line'),
      'over the batch size',
      'waiting when the destination ends',
    ]);
    rmSync(dir, { recursive: true, force: true });
  });
});
