import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { clientAddressKey } from './client-address';

/**
 * RATE_LIMIT_PER_MINUTE per API key, or per client address when the API is open. Runs after
 * ApiKeyGuard, which names the caller; over the limit: 429 with Retry-After.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const apiKeyId = request.apiKeyId as string | undefined;
    return apiKeyId ? `key:${apiKeyId}` : `ip:${clientAddressKey(request.ip as string | undefined)}`;
  }

  /** One budget per caller across every route (the default keys it per controller and handler too). */
  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }
}
