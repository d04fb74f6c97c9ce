import type { ErrorKind, ErrorType, FieldError } from '@app/errors';
import { HttpStatus } from '@nestjs/common';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * The one mapping from errors to HTTP: every error type, whichever app or lib defines it, is of
 * a kind, and each kind is answered with this status. Because this is a `Record` over the
 * `ErrorKind` union, a kind without a status does not compile.
 */
export const STATUS_BY_KIND = {
  invalid: HttpStatus.BAD_REQUEST,
  unauthenticated: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  'not-found': HttpStatus.NOT_FOUND,
  'method-not-allowed': HttpStatus.METHOD_NOT_ALLOWED,
  conflict: HttpStatus.CONFLICT,
  'too-large': HttpStatus.PAYLOAD_TOO_LARGE,
  'unsupported-media-type': HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  'rule-violated': HttpStatus.UNPROCESSABLE_ENTITY,
  'rate-limited': HttpStatus.TOO_MANY_REQUESTS,
  internal: HttpStatus.INTERNAL_SERVER_ERROR,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
} as const satisfies Record<ErrorKind, HttpStatus>;

/** An RFC 9457 problem details body. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
}

/** RFC 9457 allows a relative `type`; ours resolve against the API and end in the code. */
export const problemTypeUri = (type: ErrorType): string => `/problems/${type.code}`;

export function problemFor(type: ErrorType, detail: string, errors?: FieldError[]): ProblemDetails {
  return {
    type: problemTypeUri(type),
    title: type.title,
    status: STATUS_BY_KIND[type.kind],
    detail,
    ...(errors ? { errors } : {}),
  };
}
