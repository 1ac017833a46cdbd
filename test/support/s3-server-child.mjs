// Runs s3rver in its own process for the test run (see s3-server.ts): its filesystem store races a
// delete against a concurrent upload into the same folder (deleteObject removes the folder the upload
// has just created) and then throws from a stream with no error listener. In the test runner's own
// process that ends the whole run; here it ends only this process, which the parent starts again.
import S3rver from 's3rver';

const [port, directory, bucket] = process.argv.slice(2);
const server = new S3rver({
  port: Number(port),
  address: '127.0.0.1',
  silent: true,
  directory,
  configureBuckets: [{ name: bucket, configs: [] }],
});
const { port: bound } = await server.run();
process.send?.({ port: bound });
process.on('disconnect', () => void server.close().finally(() => process.exit(0)));
