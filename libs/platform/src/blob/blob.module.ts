import { Global, Module } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AppConfig, ConfigValidationError } from '../config/app-config.js';
import { Clock } from '../clock/clock.js';
import { ensureStateDir, persistedSecret } from '../data/state-dir.js';
import { DependencyProbes } from '../health/dependency-probes.js';
import { BLOB_STORE, type BlobStore } from './blob-store.js';
import { LocalBlobController } from './local-blob.controller.js';
import { LocalBlobStore } from './local-blob-store.js';

export async function createBlobStore(config: AppConfig, clock: Clock): Promise<BlobStore> {
  const bucket = config.optionalString('S3_BUCKET');
  if (bucket) {
    // Loaded only when configured: pods without S3 never load the AWS SDK.
    const { S3BlobStore } = await import('./s3-blob-store.js');
    return new S3BlobStore({
      bucket,
      region: config.string('S3_REGION'),
      endpoint: config.optionalString('S3_ENDPOINT'),
      accessKeyId: config.optionalString('S3_ACCESS_KEY_ID'),
      secretAccessKey: config.optionalString('S3_SECRET_ACCESS_KEY'),
      cdnBaseUrl: config.optionalString('CDN_BASE_URL'),
    });
  }
  return new LocalBlobStore(ensureStateDir(config, 'blobs'), blobSigningSecret(config), clock);
}

// An HMAC key anyone could guess lets anyone forge upload and download URLs.
const MIN_SECRET_LENGTH = 32;

function secretProblem(secret: string): string | undefined {
  if (secret.trim().length === 0) return 'it is empty';
  if (secret.length < MIN_SECRET_LENGTH)
    return `it has ${secret.length} characters, at least ${MIN_SECRET_LENGTH} are needed`;
  return undefined;
}

function blobSigningSecret(config: AppConfig): string {
  const configured = config.optionalString('BLOB_SIGNING_SECRET');
  if (configured === undefined) {
    return persistedSecret(config, {
      file: 'blob-signing.secret',
      generate: () => randomBytes(32).toString('hex'),
      problemWith: secretProblem,
      replacementCost: 'upload and download URLs already handed out stop working',
    });
  }
  const problem = secretProblem(configured);
  if (problem) throw new ConfigValidationError([`BLOB_SIGNING_SECRET=<secret>: ${problem}`]);
  return configured;
}

@Global()
@Module({
  controllers: [LocalBlobController],
  providers: [
    {
      provide: BLOB_STORE,
      inject: [AppConfig, Clock, DependencyProbes],
      useFactory: async (config: AppConfig, clock: Clock, probes: DependencyProbes) => {
        const store = await createBlobStore(config, clock);
        probes.register({ name: store.kind === 's3' ? 's3' : 'blob_storage', ping: () => store.ping() });
        return store;
      },
    },
  ],
  exports: [BLOB_STORE],
})
export class BlobModule {}
