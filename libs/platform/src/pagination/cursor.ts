import { ValidationFailed } from '../errors/domain-error.js';

/**
 * Keyset pagination, the one way pages are cut here: a cursor is the sort key of the last item plus its
 * id as a tie-breaker, so items sharing a timestamp are never repeated or skipped across pages.
 */
export interface CursorPosition {
  /** Sort key of the last item returned (ISO time or number). */
  key: string;
  id: string;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.key, position.id])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, field = 'cursor'): CursorPosition | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    const [key, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof key === 'string' && typeof id === 'string') return { key, id };
  } catch {
    // fall through to the validation error
  }
  throw new ValidationFailed([{ field, message: 'invalid cursor' }]);
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Cuts `limit` items from a result fetched with `limit + 1` rows, deriving the next cursor. */
export function pageOf<T>(rows: T[], limit: number, positionOf: (item: T) => CursorPosition): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(positionOf(last)) : null };
}
