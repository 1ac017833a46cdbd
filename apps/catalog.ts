import type { AppCatalog, FeatureDescriptor } from '#platform';
import { AUTH_ENV } from '../libs/auth/src/auth.env.js';
import { authMigrations } from '../libs/auth/src/migrations/index.js';
import { CHARACTER_ENV } from '../libs/character/src/character.env.js';
import { characterMigrations } from '../libs/character/src/migrations/index.js';
import { CHAT_ENV } from '../libs/chat/src/chat.env.js';
import { chatMigrations } from '../libs/chat/src/migrations/index.js';
import { INFO_ENV } from '../libs/info/src/info.env.js';
import { infoMigrations } from '../libs/info/src/migrations/index.js';
import { LOCATION_ENV } from '../libs/location/src/location.env.js';
import { locationMigrations } from '../libs/location/src/migrations/index.js';
import { MY_ENV } from '../libs/my/src/my.env.js';
import { myMigrations } from '../libs/my/src/migrations/index.js';
import { outboxMigrations } from '../libs/platform/src/outbox/migrations/index.js';
import { SCAN_ENV } from '../libs/scan/src/scan.env.js';
import { scanMigrations } from '../libs/scan/src/migrations/index.js';
import { STORAGE_ENV } from '../libs/storage/src/storage.env.js';
import { storageMigrations } from '../libs/storage/src/migrations/index.js';

/**
 * Every API domain and worker role, with the infrastructure each opens. Modules load lazily: a pod
 * booted for one domain never imports the others' code.
 */
const FEATURES: FeatureDescriptor[] = [
  {
    name: 'auth',
    kind: 'domain',
    needs: ['database'],
    env: AUTH_ENV,
    load: async () => (await import('../libs/auth/src/api/auth.module.js')).AuthModule,
  },
  {
    name: 'my',
    kind: 'domain',
    needs: ['database', 'messaging'],
    env: MY_ENV,
    load: async () => (await import('../libs/my/src/api/my.module.js')).MyModule,
  },
  {
    name: 'scan',
    kind: 'domain',
    needs: ['database', 'messaging', 'blob'],
    env: [...SCAN_ENV, ...STORAGE_ENV],
    load: async () => (await import('./api/src/scan-pod.module.js')).ScanPodModule,
  },
  {
    name: 'character',
    kind: 'domain',
    needs: ['database'],
    env: CHARACTER_ENV,
    load: async () => (await import('../libs/character/src/api/character.module.js')).CharacterModule,
  },
  {
    name: 'location',
    kind: 'domain',
    needs: ['database'],
    env: LOCATION_ENV,
    load: async () => (await import('../libs/location/src/api/location.module.js')).LocationModule,
  },
  {
    name: 'info',
    kind: 'domain',
    needs: ['database'],
    env: INFO_ENV,
    load: async () => (await import('../libs/info/src/api/info.module.js')).InfoModule,
  },
  {
    name: 'chat',
    kind: 'domain',
    needs: ['database', 'messaging', 'blob', 'websocket'],
    env: CHAT_ENV,
    load: async () => (await import('../libs/chat/src/api/chat.module.js')).ChatModule,
  },
  {
    name: 'storage',
    kind: 'worker',
    needs: ['database', 'messaging', 'blob'],
    env: STORAGE_ENV,
    load: async () =>
      (await import('../libs/storage/src/worker/storage-worker.module.js')).StorageWorkerModule,
  },
  {
    name: 'ai',
    kind: 'worker',
    needs: ['database', 'messaging', 'blob', 'ai'],
    env: [...SCAN_ENV, ...CHAT_ENV, ...CHARACTER_ENV, ...LOCATION_ENV],
    load: async () => (await import('./worker/src/ai-worker.module.js')).AiWorkerModule,
  },
];

export const APP_CATALOG: AppCatalog = {
  features: FEATURES,
  // The whole schema, whatever this pod boots: every pod shares one database.
  migrations: [
    ...outboxMigrations,
    ...authMigrations,
    ...characterMigrations,
    ...myMigrations,
    ...scanMigrations,
    ...storageMigrations,
    ...locationMigrations,
    ...infoMigrations,
    ...chatMigrations,
  ],
};
