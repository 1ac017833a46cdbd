import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { Clock } from '../clock/clock.js';
import { DependencyProbes } from '../health/dependency-probes.js';
import { JobEventLogs } from '../job-pipeline/job-event-log.js';
import { InMemoryKeyValueStore } from './in-memory-key-value-store.js';
import { KEY_VALUE_STORE, type KeyValueStore } from './key-value-store.js';
import { RedisKeyValueStore } from './redis-key-value-store.js';

export function createKeyValueStore(config: AppConfig, clock: Clock): KeyValueStore {
  const url = config.optionalString('REDIS_URL');
  return url
    ? new RedisKeyValueStore(url, config.string('REDIS_KEY_PREFIX'))
    : new InMemoryKeyValueStore(clock);
}

@Global()
@Module({
  providers: [
    {
      provide: KEY_VALUE_STORE,
      inject: [AppConfig, Clock, DependencyProbes],
      useFactory: (config: AppConfig, clock: Clock, probes: DependencyProbes) => {
        const store = createKeyValueStore(config, clock);
        probes.register({ name: store.kind === 'redis' ? 'redis' : 'key_value', ping: () => store.ping() });
        return store;
      },
    },
    JobEventLogs,
  ],
  exports: [KEY_VALUE_STORE, JobEventLogs],
})
export class KeyValueModule implements OnApplicationShutdown {
  constructor(@Inject(KEY_VALUE_STORE) private readonly store: KeyValueStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
