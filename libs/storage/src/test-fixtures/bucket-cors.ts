import type { CORSRule } from '@aws-sdk/client-s3';

/**
 * The bucket CORS the browser's presigned PUT needs (libs/storage/README.md): the app's origin may PUT
 * with a Content-Type header and read. The deployment sets the same rules with its real origins.
 */
export function uploadBucketCorsRules(appOrigins: string[]): CORSRule[] {
  return [
    {
      AllowedOrigins: appOrigins,
      AllowedMethods: ['PUT', 'GET', 'HEAD'],
      AllowedHeaders: ['content-type'],
      ExposeHeaders: ['ETag'],
      MaxAgeSeconds: 3000,
    },
  ];
}
