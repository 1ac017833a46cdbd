import { QueryFailedError } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { describeError } from '../errors/error-envelope.filter.js';
import { isDatabaseOutage } from './database-outage.js';

const withCode = (message: string, code: string): Error => Object.assign(new Error(message), { code });

describe('isDatabaseOutage', () => {
  it.each([
    ['a refused connection from the pool', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a connection dropped mid-query', new Error('Connection terminated unexpectedly')],
    ['no pooled connection in time', new Error('timeout exceeded when trying to connect')],
    [
      'the server shutting down',
      new QueryFailedError(
        'SELECT 1',
        [],
        withCode('terminating connection due to administrator command', '57P01'),
      ),
    ],
    [
      'the server starting up',
      new QueryFailedError('SELECT 1', [], withCode('the database system is starting up', '57P03')),
    ],
    ['a connection exception', withCode('connection failure', '08006')],
  ])('recognises %s, which the envelope answers 503', (_name, error) => {
    expect(isDatabaseOutage(error)).toBe(true);
    expect(describeError(error)).toMatchObject({
      status: 503,
      code: 'DEPENDENCY_UNAVAILABLE',
      headers: { 'Retry-After': '5' },
    });
  });

  it.each([
    ['a unique violation', new QueryFailedError('INSERT', [], withCode('duplicate key', '23505'))],
    ['a syntax error', new QueryFailedError('SELEC', [], withCode('syntax error', '42601'))],
    [
      'a statement timeout',
      new QueryFailedError('SELECT', [], withCode('canceling statement due to statement timeout', '57014')),
    ],
    ['a plain bug', new TypeError('x is undefined')],
    ['nothing', undefined],
  ])('leaves %s alone', (_name, error) => {
    expect(isDatabaseOutage(error)).toBe(false);
  });
});
