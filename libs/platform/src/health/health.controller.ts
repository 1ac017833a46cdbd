import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  type HealthCheckResult,
} from '@nestjs/terminus';
import { Public } from '../security/public.decorator.js';
import { DomainError } from '../errors/domain-error.js';
import { DependencyProbes } from './dependency-probes.js';

const PROBE_TIMEOUT_MS = 2000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

@ApiExcludeController()
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly probes: DependencyProbes,
  ) {}

  /** Liveness: the event loop answers. Dependencies are deliberately not checked here. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  async ready(): Promise<HealthCheckResult> {
    try {
      return await this.health.check(
        this.probes.list().map((probe) => async () => {
          const indicator = this.indicators.check(probe.name);
          try {
            await withTimeout(probe.ping(), PROBE_TIMEOUT_MS);
            return indicator.up();
          } catch (error) {
            return indicator.down({ message: error instanceof Error ? error.message : String(error) });
          }
        }),
      );
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const report = error.getResponse() as HealthCheckResult;
      const down = Object.entries(report.error ?? {}).map(([field, info]) => ({
        field,
        message: String((info as { message?: string }).message ?? 'down'),
      }));
      throw new DomainError(
        503,
        'DEPENDENCY_UNAVAILABLE',
        `not ready: ${down.map((d) => d.field).join(', ')}`,
        down,
        { 'Retry-After': '5' },
      );
    }
  }
}
