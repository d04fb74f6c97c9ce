import { applyDecorators, createParamDecorator, ExecutionContext, UseFilters } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { Request } from 'express';
import { IdempotencyKey, idempotencyKeyOf, MAX_IDEMPOTENCY_KEY_LENGTH } from './idempotency-key';
import { ReplayedResponseFilter } from './replayed-response.filter';

/**
 * Opts a route into Idempotency-Key handling (CONTRACT.md section 4): documents the header and
 * answers a replay with the stored response. The handler takes the key with `@RequestIdempotencyKey()`
 * and runs its write through IdempotentExecution.
 */
export const Idempotent = () =>
  applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: `At most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters; kept at least 24 hours`,
    }),
    UseFilters(ReplayedResponseFilter),
  );

/**
 * The request's Idempotency-Key, scoped to the API key that sent it (or to the open API) and
 * fingerprinted with the method, path and body; undefined without the header.
 */
export const RequestIdempotencyKey = createParamDecorator(
  (_: unknown, context: ExecutionContext): IdempotencyKey | undefined => {
    const request = context.switchToHttp().getRequest<Request & { apiKeyId?: string }>();
    const header = request.headers['idempotency-key'];
    return idempotencyKeyOf(
      Array.isArray(header) ? header.join(', ') : header,
      request.apiKeyId ?? 'open',
      request.method,
      request.path,
      request.body,
    );
  },
);
