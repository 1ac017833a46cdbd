import { Global, Inject, Module, type BeforeApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import { AppConfig } from '../config/app-config.js';
import { DependencyProbes } from '../health/dependency-probes.js';
import { checkSqliteFile } from '../data/sqlite-file-check.js';
import { ensureStateDir } from '../data/state-dir.js';
import { MESSAGE_BUS, type MessageBus } from './message-bus.js';

export async function createMessageBus(config: AppConfig): Promise<MessageBus> {
  const url = config.optionalString('AMQP_URL');
  const maxAttempts = config.int('QUEUE_MAX_ATTEMPTS');
  const retryBaseMs = config.int('QUEUE_RETRY_BASE_MS');
  if (url) {
    // Loaded only when configured, so pods without a broker never load the AMQP client.
    const { RabbitMqMessageBus } = await import('./rabbitmq-message-bus.js');
    return new RabbitMqMessageBus({ url, maxAttempts, retryBaseMs, prefetch: config.int('QUEUE_PREFETCH') });
  }
  const { SqliteMessageBus } = await import('./sqlite-message-bus.js');
  const path = join(ensureStateDir(config), 'queue.sqlite');
  await checkSqliteFile(path);
  return new SqliteMessageBus({
    path,
    maxAttempts,
    retryBaseMs,
  });
}

@Global()
@Module({
  providers: [
    {
      provide: MESSAGE_BUS,
      inject: [AppConfig, DependencyProbes],
      useFactory: async (config: AppConfig, probes: DependencyProbes) => {
        const bus = await createMessageBus(config);
        probes.register({ name: bus.kind === 'rabbitmq' ? 'rabbitmq' : 'queue', ping: () => bus.ping() });
        return bus;
      },
    },
  ],
  exports: [MESSAGE_BUS],
})
export class MessagingModule implements BeforeApplicationShutdown {
  constructor(@Inject(MESSAGE_BUS) private readonly bus: MessageBus) {}

  /** Before connections close: stop consuming and let in-flight messages ack or nack. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.bus.close();
  }
}
