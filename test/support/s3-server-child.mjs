// Runs s3rver in its own process for the test run (see s3-server.ts). Its filesystem store races a
// delete against a concurrent upload into the same folder: deleteObject removes a folder it finds empty,
// which an upload may have just created, and the upload then fails with a 500 or throws from a stream
// with no error listener. S3 has no folders, so here a delete leaves them (below). Should the process
// die all the same, it ends only this process, which the parent starts again.
import { unlink } from 'node:fs/promises';
import S3rver from 's3rver';

const [port, directory, bucket] = process.argv.slice(2);
const server = new S3rver({
  port: Number(port),
  address: '127.0.0.1',
  silent: true,
  directory,
  configureBuckets: [{ name: bucket, configs: [] }],
});
const { store } = server;
// s3rver's own deleteObject without its clean-up of empty folders.
store.deleteObject = async (bucketName, key) => {
  await Promise.all(
    ['object', 'object.md5', 'metadata.json'].map((resource) =>
      unlink(store.getResourcePath(bucketName, key, resource)).catch((error) => {
        if (error.code !== 'ENOENT') throw error;
      }),
    ),
  );
};
const { port: bound } = await server.run();
process.send?.({ port: bound });
process.on('disconnect', () => void server.close().finally(() => process.exit(0)));
