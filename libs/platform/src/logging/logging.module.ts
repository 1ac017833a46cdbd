import { Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import { destination } from 'pino';
import { AppConfig } from '../config/app-config.js';

/**
 * JSON logs through pino. The request id is assigned by the first middleware (see configureHttp) and
 * reused here, so every line logged while serving a request carries it.
 *
 * Lines go to stdout asynchronously: while one write is in flight the next lines gather in a buffer and
 * leave together, so under load a request costs no write syscall of its own (a synchronous write per
 * line was a tenth of the request path's CPU). pino flushes what is buffered when the process exits.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        // Every route, spelled as the Fastify adapter's middleware matcher reads it (the module's
        // default `{/*splat}` matches nothing there, and requests would go unlogged).
        forRoutes: [{ path: '*path', method: RequestMethod.ALL }],
        pinoHttp: [
          {
            level: config.string('LOG_LEVEL'),
            genReqId: (request: IncomingMessage) => (request as IncomingMessage & { id?: string }).id ?? '',
            customAttributeKeys: { reqId: 'request_id' },
            quietReqLogger: true,
            redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-refresh-token"]'],
            autoLogging: {
              ignore: (request: IncomingMessage) => /^\/(health|metrics)/.test(request.url ?? ''),
            },
            serializers: {
              req: (request: { method: string; url: string }) => ({
                method: request.method,
                url: request.url?.split('?')[0],
              }),
              // The status is what a request line needs; the response headers are not worth serializing.
              res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
            },
          },
          destination({ dest: 1, sync: false }),
        ],
      }),
    }),
  ],
})
export class LoggingModule {}
