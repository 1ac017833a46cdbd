import { CreateOutboxMessages1732000000000 } from './1732000000000-create-outbox-messages.js';

export const outboxMigrations: (new () => unknown)[] = [CreateOutboxMessages1732000000000];
