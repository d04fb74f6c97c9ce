import { InjectConfig, PlatformConfig } from '@app/config';
import { DomainError } from '@app/errors';
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { clientAddressKey } from './client-address';
import { FailedAuthLimiter } from './failed-auth-limiter';
import { IS_PUBLIC } from './public.decorator';
import { HTTP_ERRORS } from './http.errors';

const digest = (key: string): Buffer => createHash('sha256').update(key).digest();

/**
 * `Authorization: Bearer <key>` against API_KEYS on every route not marked @Public. With no
 * keys configured the API is open (a warning says so at start-up; production refuses to start).
 * An address that failed too often gets 429 instead of 401 for every further failure (CONTRACT
 * section 9 throttles failures, not addresses): a right key from that address still passes, so
 * one misconfigured client behind a shared NAT does not lock out its neighbours. That the answer
 * to a hit differs from a miss tells a key search nothing it could use: keys are long random
 * strings, and the throttle is there to keep floods of bad keys cheap and out of the logs.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  // Compared as fixed-length digests so neither the key nor its length leaks through timing.
  private readonly keyDigests: Buffer[];

  constructor(
    private readonly reflector: Reflector,
    private readonly failures: FailedAuthLimiter,
    @InjectConfig() config: PlatformConfig,
  ) {
    this.keyDigests = config.API_KEYS.map(digest);
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http' || this.keyDigests.length === 0) return true;
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<Request & { apiKeyId?: string }>();
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
    const presentedDigest = presented === undefined ? undefined : digest(presented);
    const index = presentedDigest ? this.keyDigests.findIndex((known) => timingSafeEqual(known, presentedDigest)) : -1;
    if (!presentedDigest || index < 0) {
      const client = clientAddressKey(request.ip);
      const retryAfter = this.failures.retryAfterSeconds(client);
      if (retryAfter !== undefined) {
        context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(retryAfter));
        throw new DomainError(
          HTTP_ERRORS['rate-limited'],
          'Too many failed authentications from this address; try again later',
        );
      }
      this.failures.recordFailure(client);
      throw new DomainError(
        HTTP_ERRORS.unauthorized,
        presented ? 'The API key is not valid' : 'Send an API key as "Authorization: Bearer <key>"',
      );
    }
    // Scopes idempotency keys and rate limits to the caller without keeping the key itself around.
    request.apiKeyId = presentedDigest.toString('hex').slice(0, 16);
    return true;
  }
}
