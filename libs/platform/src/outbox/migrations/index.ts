import { CreateOutboxMessages1732000000000 } from './1732000000000-create-outbox-messages.js';
import { AddOutboxClaimId1732000000001 } from './1732000000001-add-outbox-claim-id.js';

export const outboxMigrations: (new () => unknown)[] = [
  CreateOutboxMessages1732000000000,
  AddOutboxClaimId1732000000001,
];
