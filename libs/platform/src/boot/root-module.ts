import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { AiModule } from '../ai/ai.module.js';
import { BlobModule } from '../blob/blob.module.js';
import { ClockModule } from '../clock/clock.module.js';
import type { AppConfig } from '../config/app-config.js';
import { ConfigModule } from '../config/config.module.js';
import { DatabaseModule, type MigrationList } from '../database/database.module.js';
import { HealthModule } from '../health/health.module.js';
import { KeyValueModule } from '../kv/key-value.module.js';
import { LoggingModule } from '../logging/logging.module.js';
import { MessagingModule } from '../messaging/messaging.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { PeriodicModule } from '../periodic/periodic-runner.js';
import { SecurityModule } from '../security/security.module.js';
import type { FeatureDescriptor, InfrastructureNeed } from './features.js';
import { ShutdownModule } from './shutdown-signal.js';

@Module({})
export class RootModule {}

/** Composes the platform, the infrastructure the features need, and the features themselves. */
export async function composeRootModule(
  config: AppConfig,
  features: readonly FeatureDescriptor[],
  migrations: MigrationList,
): Promise<DynamicModule> {
  const needs = new Set<InfrastructureNeed>(features.flatMap((f) => f.needs));
  const infrastructure: (Type | DynamicModule)[] = [];
  if (needs.has('database')) infrastructure.push(DatabaseModule.forRoot(migrations));
  if (needs.has('messaging')) infrastructure.push(MessagingModule);
  if (needs.has('blob')) infrastructure.push(BlobModule);
  if (needs.has('ai')) infrastructure.push(AiModule);
  const featureModules = await Promise.all(features.map((f) => f.load()));
  return {
    module: RootModule,
    imports: [
      ConfigModule.forRoot(config),
      ShutdownModule,
      PeriodicModule,
      ClockModule,
      LoggingModule,
      HealthModule,
      MetricsModule,
      // Every pod verifies tokens, and the blacklist lives in the key-value store.
      KeyValueModule,
      SecurityModule,
      ...infrastructure,
      ...featureModules,
    ],
  };
}
