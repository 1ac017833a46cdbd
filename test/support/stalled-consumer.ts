/**
 * Child process for the messaging drills: consumes one queue and never acks — its handler never returns.
 * The drill SIGKILLs it once it reports the delivery, then checks that a new consumer gets the message.
 *
 *   BUS_KIND=sqlite|rabbitmq  BUS_TARGET=<sqlite file | amqp url>  QUEUES=<name>[,<name>…]
 *   MAX_ATTEMPTS (default 3)  LEASE_MS (sqlite, default 1000)
 *
 * Prints `RECEIVED {"queue":…,"id":…,"attempt":…,"body":…}` per delivery.
 */
import type { MessageBus, QueueName } from '../../libs/platform/src/messaging/message-bus.js';

const kind = process.env.BUS_KIND;
const target = process.env.BUS_TARGET ?? '';
const queues = (process.env.QUEUES ?? '').split(',').filter(Boolean) as QueueName[];
const maxAttempts = Number(process.env.MAX_ATTEMPTS ?? 3);

async function openBus(): Promise<MessageBus> {
  if (kind === 'rabbitmq') {
    const { RabbitMqMessageBus } = await import('../../libs/platform/src/messaging/rabbitmq-message-bus.js');
    return new RabbitMqMessageBus({ url: target, maxAttempts, retryBaseMs: 50, prefetch: 1 });
  }
  const { SqliteMessageBus } = await import('../../libs/platform/src/messaging/sqlite-message-bus.js');
  return new SqliteMessageBus({
    path: target,
    maxAttempts,
    retryBaseMs: 50,
    leaseMs: Number(process.env.LEASE_MS ?? 1000),
    pollIntervalMs: 50,
  });
}

const bus = await openBus();
for (const queue of queues) {
  await bus.consume(queue, async (message) => {
    const { id, attempt, body } = message;
    process.stdout.write(`RECEIVED ${JSON.stringify({ queue, id, attempt, body })}\n`);
    await new Promise(() => undefined);
  });
}
process.stdout.write('CONSUMING\n');
// Stay alive until killed, whatever the adapter's timers do.
setInterval(() => undefined, 60_000);
