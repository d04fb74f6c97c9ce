import type { HealthIndicatorResult } from '@nestjs/terminus';

/**
 * An app's own readiness condition beyond database and broker (e.g. a worker that stalled).
 * Provide it under this token from a global module; GET /health/ready includes it.
 */
export const APP_READINESS_CHECK = Symbol('APP_READINESS_CHECK');

export interface ReadinessCheck {
  check(): Promise<HealthIndicatorResult>;
}
