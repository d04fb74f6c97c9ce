import { InjectConfig, PlatformConfig } from '@app/config';
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { DomainError } from './domain-error';
import { IS_PUBLIC } from './public.decorator';

const digest = (key: string): Buffer => createHash('sha256').update(key).digest();

/**
 * `Authorization: Bearer <key>` against API_KEYS on every route not marked @Public. With no
 * keys configured the API is open (a warning says so at start-up; production refuses to start).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  // Compared as fixed-length digests so neither the key nor its length leaks through timing.
  private readonly keyDigests: Buffer[];

  constructor(
    private readonly reflector: Reflector,
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
    if (!presented) throw new DomainError('unauthorized', 'Send an API key as "Authorization: Bearer <key>"');
    const presentedDigest = digest(presented);
    const index = this.keyDigests.findIndex((known) => timingSafeEqual(known, presentedDigest));
    if (index < 0) throw new DomainError('unauthorized', 'The API key is not valid');
    // Scopes idempotency keys and rate limits to the caller without keeping the key itself around.
    request.apiKeyId = presentedDigest.toString('hex').slice(0, 16);
    return true;
  }
}
