export * from './ai/ai-provider.js';
export * from './ai/local-ai-provider.js';
export * from './ai/provider-retry.js';
export * from './ai/token-estimate.js';
export * from './blob/blob-store.js';
export { LOCAL_BLOB_ROUTE } from './blob/local-blob-store.js';
export { MAX_UPLOAD_BYTES } from './blob/local-blob.controller.js';
export * from './boot/bootstrap.js';
export * from './boot/features.js';
export * from './boot/shutdown-signal.js';
export * from './clock/clock.js';
export * from './config/app-config.js';
export * from './config/env-schema.js';
export * from './data/data-path.js';
export * from './data/state-dir.js';
export * from './database/batched-lookup.js';
export * from './database/columns.js';
export * from './database/prepared-reads.js';
export * from './database/transactions.js';
export type { MigrationList } from './database/database.module.js';
export * from './errors/domain-error.js';
export { createValidationPipe } from './errors/validation.js';
export * from './health/dependency-probes.js';
export * from './http/http-types.js';
export * from './http/public-base-url.js';
export * from './http/outbound-http.js';
export { isPrivateAddress, resolvesToPublicAddresses } from './http/public-address-guard.js';
export * from './kv/key-value-store.js';
export { InMemoryKeyValueStore } from './kv/in-memory-key-value-store.js';
export * from './messaging/message-bus.js';
export * from './pagination/cursor.js';
export {
  PeriodicRunner,
  type PeriodicRunOutcome,
  type PeriodicTask,
  type PeriodicTaskSpec,
} from './periodic/periodic-runner.js';
export * from './security/access-token-verifier.js';
export * from './security/access-token.guard.js';
export * from './security/current-user.decorator.js';
export * from './security/public.decorator.js';
export * from './security/token-keys.js';
export * from './security/user-token-cutoffs.js';
export { isAllowedOrigin } from './http/configure-http.js';
export * from './outbox/outbox.js';
export * from './outbox/outbox.module.js';
export * from './sse/event-stream.js';
export * from './job-pipeline/job-stages.js';
export * from './job-pipeline/job-event-log.js';
export * from './job-pipeline/job-feed.js';
export * from './job-pipeline/job-event-stream.js';
export * from './job-pipeline/job-limits.js';
export * from './job-pipeline/job-queue.js';
export * from './job-pipeline/job-failure.js';
// The adapter itself loads with the features that serve sockets (bootstrap), not with the index.
export type { AuthenticatedUpgrade } from './websocket/authenticated-ws-adapter.js';
export * from './websocket/socket-session.js';
