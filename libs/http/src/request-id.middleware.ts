import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export const REQUEST_ID_HEADER = 'x-request-id';

// Echo any printable id that fits in a log line; control characters or huge values get a new id.
const ACCEPTABLE_ID = /^[\x20-\x7e]{1,200}$/;

/**
 * Gives every request an id (the caller's `x-request-id` when it is sane, else a UUID) and echoes
 * it on the response before anything else runs, so even body-parser failures and 404s carry it.
 */
export function requestIdMiddleware(request: Request & { id?: string }, response: Response, next: NextFunction): void {
  const incoming = request.headers[REQUEST_ID_HEADER];
  const id = typeof incoming === 'string' && ACCEPTABLE_ID.test(incoming) ? incoming : randomUUID();
  request.id = id;
  response.setHeader(REQUEST_ID_HEADER, id);
  next();
}
