// Loaded into an app process with `node --import` by `--round-trips` (bench/support/round-trips.ts): counts
// what the process sends to each backing service, read from its socket writes. Counts do not move with
// the machine's load the way CPU time does. On SIGUSR2 it prints the counts so far as one stderr line.
import net from 'node:net';

const DEFAULT_PORTS = { 'postgres:': 5432, 'postgresql:': 5432, 'redis:': 6379, 'amqp:': 5672, 'http:': 80 };
/** Remote port → service, from the URLs the app is configured with. */
const services = new Map();
for (const [service, url] of [
  ['postgres', process.env.DATABASE_URL],
  ['redis', process.env.REDIS_URL],
  ['amqp', process.env.AMQP_URL],
  ['s3', process.env.S3_ENDPOINT],
  ['openai', process.env.OPENAI_BASE_URL],
]) {
  if (!url) continue;
  const parsed = new URL(url);
  services.set(Number(parsed.port) || DEFAULT_PORTS[parsed.protocol], service);
}

/** `service: what` → count: socket writes, PostgreSQL statements (by SQL), Redis commands, S3 methods. */
const counts = {};
const bump = (key) => (counts[key] = (counts[key] ?? 0) + 1);
/** Per PostgreSQL connection: prepared statement name → its SQL (a named statement is parsed once). */
const statementsOf = new WeakMap();

/** PostgreSQL frontend messages: type byte, int32 length; a statement runs at each Bind or simple Query. */
function countPostgres(socket, bytes) {
  let statements = statementsOf.get(socket);
  if (!statements) statementsOf.set(socket, (statements = new Map()));
  const sqlOf = (text) => text.replace(/\s+/g, ' ').slice(0, 100);
  for (let at = 0; at + 5 <= bytes.length;) {
    const type = String.fromCharCode(bytes[at]);
    const length = bytes.readInt32BE(at + 1);
    const body = bytes.subarray(at + 5, at + 1 + length);
    if (type === '\0') return; // the startup message has no type byte
    if (type === 'Q') bump(`postgres: ${sqlOf(body.toString('utf8', 0, body.length - 1))}`);
    if (type === 'P') {
      const nameEnd = body.indexOf(0);
      statements.set(
        body.toString('utf8', 0, nameEnd),
        sqlOf(body.toString('utf8', nameEnd + 1, body.indexOf(0, nameEnd + 1))),
      );
    }
    if (type === 'B') {
      const portalEnd = body.indexOf(0);
      bump(
        `postgres: ${statements.get(body.toString('utf8', portalEnd + 1, body.indexOf(0, portalEnd + 1))) ?? '?'}`,
      );
    }
    at += 1 + length;
  }
}

function count(socket, bytes) {
  const service = services.get(socket.remotePort);
  if (!service) return;
  bump(`${service}: socket writes`);
  if (service === 'postgres') countPostgres(socket, bytes);
  if (service === 'redis')
    for (const command of bytes.toString('latin1').matchAll(/\*\d+\r\n\$\d+\r\n([A-Za-z]+)\r\n/g))
      bump(`redis: ${command[1].toUpperCase()}`);
  if (service === 's3') {
    const method = /^(GET|PUT|HEAD|DELETE|POST) /.exec(bytes.toString('latin1', 0, 8));
    if (method) bump(`s3: ${method[1]}`);
  }
}

const bytesOf = (chunk, encoding) =>
  typeof chunk === 'string'
    ? Buffer.from(chunk, encoding === 'buffer' ? 'utf8' : encoding)
    : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
const write = net.Socket.prototype._write;
const writev = net.Socket.prototype._writev;
net.Socket.prototype._write = function (chunk, encoding, callback) {
  count(this, bytesOf(chunk, encoding));
  return write.call(this, chunk, encoding, callback);
};
net.Socket.prototype._writev = function (chunks, callback) {
  count(this, Buffer.concat(chunks.map(({ chunk, encoding }) => bytesOf(chunk, encoding))));
  return writev.call(this, chunks, callback);
};
process.on('SIGUSR2', () => process.stderr.write(`round-trips ${JSON.stringify(counts)}\n`));
