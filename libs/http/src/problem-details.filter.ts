import { COMMON_ERRORS, DomainError, ErrorType } from '@app/errors';
import {
  ArgumentsHost,
  BadRequestException,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { HTTP_ERRORS } from './http.errors';
import { PROBLEM_CONTENT_TYPE, ProblemDetails, problemFor } from './problem-details';

const TYPE_BY_STATUS: Partial<Record<number, ErrorType>> = {
  [HttpStatus.BAD_REQUEST]: HTTP_ERRORS['malformed-request'],
  [HttpStatus.UNAUTHORIZED]: HTTP_ERRORS.unauthorized,
  [HttpStatus.FORBIDDEN]: HTTP_ERRORS.forbidden,
  [HttpStatus.NOT_FOUND]: COMMON_ERRORS['not-found'],
  [HttpStatus.METHOD_NOT_ALLOWED]: HTTP_ERRORS['method-not-allowed'],
  [HttpStatus.CONFLICT]: COMMON_ERRORS.conflict,
  [HttpStatus.PAYLOAD_TOO_LARGE]: HTTP_ERRORS['payload-too-large'],
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: HTTP_ERRORS['unsupported-media-type'],
  [HttpStatus.UNPROCESSABLE_ENTITY]: COMMON_ERRORS['business-rule-violated'],
  [HttpStatus.TOO_MANY_REQUESTS]: HTTP_ERRORS['rate-limited'],
  [HttpStatus.SERVICE_UNAVAILABLE]: HTTP_ERRORS['service-unavailable'],
};

/** body-parser's error `type`s, raised before any Nest handler runs. */
const BODY_PARSER_ERRORS: Record<string, { type: ErrorType; detail: string }> = {
  'entity.parse.failed': { type: HTTP_ERRORS['malformed-request'], detail: 'The body is not valid JSON' },
  'entity.too.large': { type: HTTP_ERRORS['payload-too-large'], detail: 'The body is larger than 1 MiB' },
  'encoding.unsupported': { type: HTTP_ERRORS['unsupported-media-type'], detail: 'Unsupported content encoding' },
  'charset.unsupported': { type: HTTP_ERRORS['unsupported-media-type'], detail: 'Unsupported charset' },
  'request.aborted': { type: HTTP_ERRORS['malformed-request'], detail: 'The request was aborted' },
  'request.size.invalid': {
    type: HTTP_ERRORS['malformed-request'],
    detail: 'The body length does not match Content-Length',
  },
  'entity.verify.failed': { type: HTTP_ERRORS['malformed-request'], detail: 'The body was refused' },
};

/** A malformed body names `body` as the field at fault, like any other 400. */
function bodyProblem(type: ErrorType, detail: string): ProblemDetails {
  return type === HTTP_ERRORS['malformed-request']
    ? problemFor(type, detail, [{ field: 'body', message: detail }])
    : problemFor(type, detail);
}

/**
 * Where an error answered with a 5xx is reported besides the log (Sentry, through
 * libs/observability, which this lib does not depend on).
 */
export type ServerErrorReporter = (error: unknown, request: { method: string; path: string }) => void;

/**
 * The one place that turns errors into HTTP answers: RFC 9457 problem+json for everything,
 * stable codes for known failures, and a bare 500 (logged and reported, never with a stack
 * trace in the body) for anything unexpected.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrors');

  constructor(private readonly report: ServerErrorReporter = () => undefined) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const request = http.getRequest<Request & { id?: string }>();
    const response = http.getResponse<Response>();
    const problem = toProblem(exception);
    if (problem.status >= 500) {
      this.logger.error(
        { err: exception, requestId: request.id },
        `unhandled error on ${request.method} ${request.path}`,
      );
      this.report(exception, { method: request.method, path: request.path });
    }
    if (response.headersSent) return;
    if (problem.status === 401) response.setHeader('WWW-Authenticate', 'Bearer');
    response
      .status(problem.status)
      .type(PROBLEM_CONTENT_TYPE)
      .json({ ...problem, instance: request.path });
  }
}

/** The problem an error is answered with (also what idempotency stores for replays). */
export function toProblem(exception: unknown): ProblemDetails {
  if (exception instanceof DomainError) {
    return problemFor(exception.type, exception.detail, exception.errors);
  }
  if (exception instanceof HttpException) {
    return fromHttpException(exception);
  }
  const raw = exception as { type?: string; status?: number; expose?: boolean; message?: string };
  const parserError = BODY_PARSER_ERRORS[raw?.type ?? ''];
  if (parserError) {
    const detail = raw.type === 'entity.verify.failed' && raw.message ? raw.message : parserError.detail;
    return bodyProblem(parserError.type, detail);
  }
  // Other client errors raised by Express middleware (http-errors marks them `expose`).
  if (raw?.expose === true && typeof raw.status === 'number' && raw.status >= 400 && raw.status < 500) {
    const type = TYPE_BY_STATUS[raw.status] ?? HTTP_ERRORS['malformed-request'];
    return { ...bodyProblem(type, raw.message ?? 'The request could not be read'), status: raw.status };
  }
  return problemFor(HTTP_ERRORS['internal-error'], 'An unexpected error occurred; it has been logged.');
}

function fromHttpException(exception: HttpException): ProblemDetails {
  const status = exception.getStatus();
  const cause = exception.cause as { type?: string } | undefined;
  const parserError = BODY_PARSER_ERRORS[cause?.type ?? ''];
  if (parserError) return bodyProblem(parserError.type, parserError.detail);
  const body = exception.getResponse();
  const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
  const detail = Array.isArray(message)
    ? message.join('; ')
    : typeof message === 'string'
      ? message
      : exception.message;
  if (status === 404 && /^Cannot [A-Z]+ /.test(detail)) {
    return problemFor(HTTP_ERRORS['route-not-found'], detail);
  }
  // body-parser's JSON syntax errors arrive here as a BadRequestException.
  if (status === 400 && exception instanceof BadRequestException && /JSON/.test(detail)) {
    return bodyProblem(HTTP_ERRORS['malformed-request'], `The body is not valid JSON: ${detail}`);
  }
  const type = TYPE_BY_STATUS[status];
  if (type) return { ...problemFor(type, detail), status };
  return {
    ...problemFor(status >= 500 ? HTTP_ERRORS['internal-error'] : HTTP_ERRORS['malformed-request'], detail),
    status,
  };
}
