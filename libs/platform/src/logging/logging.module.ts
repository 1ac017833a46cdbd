import { Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import { AppConfig } from '../config/app-config.js';

/**
 * JSON logs through pino. The request id is assigned by the first middleware (see configureHttp) and
 * reused here, so every line logged while serving a request carries it.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        // Every route, spelled as the Fastify adapter's middleware matcher reads it (the module's
        // default `{/*splat}` matches nothing there, and requests would go unlogged).
        forRoutes: [{ path: '*path', method: RequestMethod.ALL }],
        pinoHttp: {
          level: config.string('LOG_LEVEL'),
          genReqId: (request: IncomingMessage) => (request as IncomingMessage & { id?: string }).id ?? '',
          customAttributeKeys: { reqId: 'request_id' },
          quietReqLogger: true,
          redact: [
            'req.headers.authorization',
            'req.headers.cookie',
            'req.headers["x-refresh-token"]',
            'res.headers["set-cookie"]',
          ],
          autoLogging: {
            ignore: (request: IncomingMessage) => /^\/(health|metrics)/.test(request.url ?? ''),
          },
          serializers: {
            req: (request: { method: string; url: string }) => ({
              method: request.method,
              url: request.url?.split('?')[0],
            }),
          },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
