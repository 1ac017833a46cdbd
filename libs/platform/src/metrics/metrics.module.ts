import { Controller, Get, Res, Module } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PrometheusController, PrometheusModule } from '@willsoto/nestjs-prometheus';
import type { HttpReply } from '../http/http-types.js';
import { Public } from '../security/public.decorator.js';

@ApiExcludeController()
@Public()
@Controller()
class MetricsController extends PrometheusController {
  @Get()
  override async index(@Res({ passthrough: true }) response: HttpReply): Promise<string> {
    return super.index(response);
  }
}

/** Prometheus `/metrics` (process metrics included) via @willsoto/nestjs-prometheus. */
@Module({
  imports: [
    PrometheusModule.register({
      path: '/metrics',
      controller: MetricsController,
      defaultMetrics: { enabled: true },
    }),
  ],
})
export class MetricsModule {}
