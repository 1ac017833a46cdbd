import { Logger } from '@nestjs/common';
import { freshAmqpUrl } from '../../../../test/support/test-app.js';
import {
  CONTRACT_MAX_ATTEMPTS,
  CONTRACT_RETRY_BASE_MS,
  describeMessageBusContract,
} from './messaging.contract.js';
import { RabbitMqMessageBus } from './rabbitmq-message-bus.js';

// Dead-letter warnings are expected here; keep the output readable.
Logger.overrideLogger(['error']);

// The embedded adapter runs the same contract in messaging.contract.spec.ts.
describeMessageBusContract('rabbitmq', async () => {
  const url = await freshAmqpUrl();
  return {
    open: async () =>
      new RabbitMqMessageBus({
        url,
        maxAttempts: CONTRACT_MAX_ATTEMPTS,
        retryBaseMs: CONTRACT_RETRY_BASE_MS,
        prefetch: 16,
      }),
  };
});
