import { Logger, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Server } from 'node:http';
import { AppConfig, ConfigValidationError } from '../config/app-config.js';
import { PLATFORM_ENV, API_DOMAINS, WORKER_ROLES, type EnvVarSpec } from '../config/env-schema.js';
import { StateFileError } from '../data/state-dir.js';
import type { MigrationList } from '../database/database.module.js';
import { ErrorEnvelopeFilter } from '../errors/error-envelope.filter.js';
import { createValidationPipe } from '../errors/validation.js';
import { configureHttp, createHttpAdapter } from '../http/configure-http.js';
import type { FeatureDescriptor } from './features.js';
import { AppLogger } from '../logging/app-logger.js';
import { composeRootModule } from './root-module.js';
import { ShutdownSignal } from './shutdown-signal.js';

export interface AppCatalog {
  /** Every API domain and worker role the codebase has. */
  features: readonly FeatureDescriptor[];
  migrations: MigrationList;
}

export interface BootedApp {
  app: NestFastifyApplication;
  config: AppConfig;
  features: FeatureDescriptor[];
}

export function envSpecsOf(catalog: AppCatalog): EnvVarSpec[] {
  const seen = new Set<string>();
  return [...PLATFORM_ENV, ...catalog.features.flatMap((f) => f.env ?? [])].filter(
    (spec) => !seen.has(spec.name) && seen.add(spec.name),
  );
}

/** The features APP_ROLE, APP_DOMAINS and WORKER_ROLES select. */
export function selectFeatures(config: AppConfig, catalog: AppCatalog): FeatureDescriptor[] {
  const role = config.string('APP_ROLE');
  const pick = (requested: string[], all: readonly string[]): Set<string> =>
    new Set(requested.includes('all') ? all : requested);
  const domains = role === 'worker' ? new Set<string>() : pick(config.list('APP_DOMAINS'), API_DOMAINS);
  const roles = role === 'api' ? new Set<string>() : pick(config.list('WORKER_ROLES'), WORKER_ROLES);
  return catalog.features.filter((f) => (f.kind === 'domain' ? domains : roles).has(f.name));
}

/** Builds the Nest application for the selected features without listening (tests use it directly). */
export async function createApp(
  catalog: AppCatalog,
  env: NodeJS.ProcessEnv = process.env,
): Promise<BootedApp> {
  const config = AppConfig.load(envSpecsOf(catalog), env);
  const features = selectFeatures(config, catalog);
  const root = await composeRootModule(config, features, catalog.migrations);
  let app: NestFastifyApplication;
  try {
    app = await NestFactory.create<NestFastifyApplication>(root, createHttpAdapter(config), {
      bufferLogs: true,
      // Flushed below only for unexpected errors: an operator's problem is one line, not a stack.
      autoFlushLogs: false,
      bodyParser: false,
      abortOnError: false,
    });
  } catch (error) {
    if (!isOperatorProblem(error)) Logger.flush();
    throw error;
  }
  const logger = app.get(AppLogger);
  app.useLogger(logger);
  app.flushLogs();
  await configureHttp(app, config, logger.pino);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ErrorEnvelopeFilter());
  if (features.some((f) => f.needs.includes('websocket'))) {
    const { AuthenticatedWsAdapter } = await import('../websocket/authenticated-ws-adapter.js');
    app.useWebSocketAdapter(new AuthenticatedWsAdapter(app, config));
  }
  if (features.some((f) => f.kind === 'domain')) {
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Eco² API')
        .setVersion('1')
        .addBearerAuth()
        .addCookieAuth('s_access')
        .build(),
    );
    // The UI (static assets and their plugin) only where people browse it; the JSON document everywhere.
    SwaggerModule.setup('api/docs', app, document, {
      jsonDocumentUrl: 'api/docs-json',
      ui: !config.isProduction,
    });
  }
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return { app, config, features };
}

/**
 * SIGTERM/SIGINT: stop accepting, let in-flight requests finish, then close the app (consumers drain
 * and ack or nack, connections close) and exit 0 — or exit 1 if that takes longer than the bound.
 */
export function handleShutdown(app: INestApplication, config: AppConfig): void {
  const logger = new Logger('Shutdown');
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: draining`);
    const deadline = setTimeout(() => {
      logger.error('graceful shutdown timed out');
      process.exit(1);
    }, config.int('SHUTDOWN_TIMEOUT_MS'));
    deadline.unref();
    app.get(ShutdownSignal).raise();
    const server = app.getHttpServer() as Server;
    const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    clearInterval(idleSweep);
    await app.close();
    logger.log('shutdown complete');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

/** A problem the operator fixes (configuration, a state file): its message says what and how. */
function isOperatorProblem(error: unknown): error is ConfigValidationError | StateFileError {
  return error instanceof ConfigValidationError || error instanceof StateFileError;
}

/**
 * Process entry: validate config and state files (exit 1 with the problem and its fix), boot, listen,
 * handle signals.
 */
export async function bootstrap(catalog: AppCatalog): Promise<void> {
  let booted: BootedApp;
  try {
    booted = await createApp(catalog);
  } catch (error) {
    if (isOperatorProblem(error)) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const { app, config, features } = booted;
  handleShutdown(app, config);
  await app.listen(config.int('PORT'), config.string('HOST'));
  new Logger('Boot').log(
    `listening on ${config.string('HOST')}:${config.int('PORT')} with ${features.map((f) => `${f.kind}:${f.name}`).join(', ') || 'no features'}`,
  );
}
