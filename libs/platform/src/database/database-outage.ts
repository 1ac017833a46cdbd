/** Socket failures: the server is not there (stopped, restarting, unreachable). */
const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);

/**
 * PostgreSQL SQLSTATEs that mean the server cannot take the query now, not that the query is wrong:
 * class 08 (connection exception), 57P01–57P03 (shut down by the administrator, crashed, starting up),
 * 53300 (too many connections).
 */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|53300)$/;

/** What node-postgres says when a connection dies or cannot be had in time. */
const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i;

interface DriverFailure {
  code?: unknown;
  message?: unknown;
  driverError?: DriverFailure;
}

/**
 * True when `error` says the database is unreachable rather than the request or the code being wrong:
 * the error envelope answers 503 DEPENDENCY_UNAVAILABLE for it instead of 500. TypeORM wraps driver
 * errors of a query (`QueryFailedError.driverError`); connection errors from the pool come raw.
 */
export function isDatabaseOutage(error: unknown): boolean {
  const failure = error as DriverFailure | null | undefined;
  if (!failure || typeof failure !== 'object') return false;
  if (failure.driverError && isDatabaseOutage(failure.driverError)) return true;
  const code = typeof failure.code === 'string' ? failure.code : '';
  if (CONNECTION_ERROR_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code)) return true;
  return typeof failure.message === 'string' && UNAVAILABLE_MESSAGE.test(failure.message);
}
