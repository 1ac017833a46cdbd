import { describeBlobStoreContract } from './blob.contract.js';
import { S3BlobStore } from './s3-blob-store.js';

// The local adapter runs the same contract in blob.contract.spec.ts.
//
// s3rver (the S3-compatible server of the test setup) does NOT verify SigV4 signatures: the contract shows
// the presigned PUT works end to end, but tampered or expired S3 signatures cannot be tested against it.
// Those refusals are proven for the local adapter in blob.contract.spec.ts; real S3 enforces its own.
describeBlobStoreContract('s3 (s3rver)', async () => {
  const endpoint = process.env.TEST_S3_ENDPOINT;
  const bucket = process.env.TEST_S3_BUCKET;
  if (!endpoint || !bucket)
    throw new Error('TEST_S3_ENDPOINT/TEST_S3_BUCKET unset: run through vitest (global setup)');
  return {
    store: new S3BlobStore({
      bucket,
      region: 'us-east-1',
      endpoint,
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
    }),
    baseUrl: 'http://ignored.example',
  };
});
