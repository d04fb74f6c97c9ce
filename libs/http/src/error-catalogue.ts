import { HttpStatus } from '@nestjs/common';

export interface ProblemType {
  status: HttpStatus;
  title: string;
}

/**
 * Every problem the APIs can answer with, keyed by its stable kebab-case code (the slug that ends
 * the problem `type`). Domain errors name a code from here; because this is a `Record` over the
 * `ErrorCode` union, a code without a status and title does not compile.
 */
export const ERROR_CATALOGUE = {
  'validation-failed': { status: HttpStatus.BAD_REQUEST, title: 'The request is not valid' },
  'invalid-cursor': { status: HttpStatus.BAD_REQUEST, title: 'The cursor was not issued by this list' },
  'malformed-request': { status: HttpStatus.BAD_REQUEST, title: 'The request body could not be read' },
  unauthorized: { status: HttpStatus.UNAUTHORIZED, title: 'A valid API key is required' },
  forbidden: { status: HttpStatus.FORBIDDEN, title: 'Not allowed' },
  'not-found': { status: HttpStatus.NOT_FOUND, title: 'Not found' },
  'route-not-found': { status: HttpStatus.NOT_FOUND, title: 'No such route' },
  'method-not-allowed': { status: HttpStatus.METHOD_NOT_ALLOWED, title: 'Method not allowed' },
  conflict: { status: HttpStatus.CONFLICT, title: 'Conflict' },
  'payload-too-large': { status: HttpStatus.PAYLOAD_TOO_LARGE, title: 'The request body is too large' },
  'unsupported-media-type': { status: HttpStatus.UNSUPPORTED_MEDIA_TYPE, title: 'Unsupported media type' },
  'business-rule-violated': { status: HttpStatus.UNPROCESSABLE_ENTITY, title: 'The request breaks a business rule' },
  'currency-mismatch': { status: HttpStatus.UNPROCESSABLE_ENTITY, title: "The currency is not the account's currency" },
  'insufficient-funds': { status: HttpStatus.UNPROCESSABLE_ENTITY, title: 'The balance would go below zero' },
  'balance-limit-exceeded': { status: HttpStatus.UNPROCESSABLE_ENTITY, title: 'The balance would exceed its maximum' },
  'invalid-transition': { status: HttpStatus.CONFLICT, title: 'The status cannot change this way' },
  'queue-taken': { status: HttpStatus.CONFLICT, title: 'Another subscription already forwards to this queue' },
  'endpoint-disabled': { status: HttpStatus.UNPROCESSABLE_ENTITY, title: 'The webhook endpoint is disabled' },
  'idempotency-key-in-use': {
    status: HttpStatus.CONFLICT,
    title: 'A request with this Idempotency-Key is still executing',
  },
  'idempotency-key-reused': {
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    title: 'This Idempotency-Key was used with a different request body',
  },
  'rate-limited': { status: HttpStatus.TOO_MANY_REQUESTS, title: 'Too many requests' },
  'internal-error': { status: HttpStatus.INTERNAL_SERVER_ERROR, title: 'Internal server error' },
  'service-unavailable': { status: HttpStatus.SERVICE_UNAVAILABLE, title: 'Service unavailable' },
} as const satisfies Record<string, ProblemType>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** RFC 9457 allows a relative `type`; ours resolve against the API and end in the code. */
export const problemTypeUri = (code: ErrorCode): string => `/problems/${code}`;
