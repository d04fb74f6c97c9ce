import { DomainError } from '@app/errors';
import type { NextFunction, Request, Response } from 'express';
import { HTTP_ERRORS } from './http.errors';

/** Bodies above this are refused with 413 (CONTRACT.md section 3). */
export const JSON_BODY_LIMIT = '1mb';

const JSON_TYPE = /^application\/([\w.+-]+\+)?json\s*(;|$)/i;
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/**
 * APIs here take JSON only: a body in another media type gets 415 instead of reaching the
 * validation pipe as an empty object.
 */
export function jsonOnlyMiddleware(request: Request, _response: Response, next: NextFunction): void {
  const hasBody = Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'];
  const contentType = request.headers['content-type'];
  if (WITH_BODY.has(request.method) && hasBody && !JSON_TYPE.test(contentType ?? '')) {
    next(
      new DomainError(
        HTTP_ERRORS['unsupported-media-type'],
        `Send the body as application/json${contentType ? `, not ${contentType}` : ''}`,
      ),
    );
    return;
  }
  next();
}
