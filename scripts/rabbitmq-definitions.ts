import { writeFileSync } from 'node:fs';
import { APP_CATALOG } from '../apps/catalog.js';
import { AppConfig, envSpecsOf, QUEUES } from '../libs/platform/src/index.js';
import { rabbitMqTopology } from '../libs/platform/src/messaging/rabbitmq-message-bus.js';

/** The broker definitions the cluster pre-loads, generated from what the app itself declares. */
export function rabbitMqDefinitions(): unknown {
  const defaults = AppConfig.load(envSpecsOf(APP_CATALOG), {});
  const topology = rabbitMqTopology(QUEUES, {
    maxAttempts: defaults.int('QUEUE_MAX_ATTEMPTS'),
    retryBaseMs: defaults.int('QUEUE_RETRY_BASE_MS'),
  });
  return {
    exchanges: topology.exchanges.map((e) => ({
      ...e,
      durable: true,
      auto_delete: false,
      internal: false,
      arguments: {},
    })),
    queues: topology.queues.map((q) => ({
      name: q.name,
      durable: true,
      auto_delete: false,
      arguments: q.arguments,
    })),
    bindings: topology.bindings.map((b) => ({ ...b, destination_type: 'queue', arguments: {} })),
    policies: [],
  };
}

if (process.argv[1]?.endsWith('rabbitmq-definitions.ts')) {
  writeFileSync(
    new URL('../k8s/overlays/infrastructure/rabbitmq/definitions.json', import.meta.url),
    `${JSON.stringify(rabbitMqDefinitions(), null, 2)}\n`,
  );
}
