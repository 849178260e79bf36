import { z } from 'zod';
import { HttpError } from './http/errors.js';
import type { Cursor, Page } from './store/store.js';

const cursorSchema = z.tuple([z.number().int(), z.string().max(40)]);

/** Cursors are opaque to clients: base64url of the last row's (createdAt, id). */
export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url');
}

export function decodeCursor(text: string | undefined): Cursor | undefined {
  if (text === undefined) return undefined;
  try {
    const [createdAt, id] = cursorSchema.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return { createdAt, id };
  } catch {
    throw new HttpError(400, 'invalid_cursor', 'cursor: not a cursor this API gave out; start again without it.');
  }
}

export function pageReply<R extends { createdAt: number; id: string }, V>(page: Page<R>, view: (row: R) => V) {
  const last = page.rows.at(-1);
  return { data: page.rows.map(view), nextCursor: page.hasMore && last ? encodeCursor(last) : null };
}
