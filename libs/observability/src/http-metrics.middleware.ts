import type { NextFunction, Request, Response } from 'express';
import type { MetricsRegistry } from './metrics.registry';

const CATCH_ALL = '/{*path}';

/**
 * Counts and times every HTTP request by its route template (`/accounts/:id`, not the concrete
 * path, which would explode label cardinality); unmatched paths share the label `unmatched`.
 */
export function httpMetricsMiddleware(metrics: MetricsRegistry) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const stopTimer = metrics.httpDuration.startTimer();
    response.once('finish', () => {
      const template = request.route?.path as string | undefined;
      // Nest answers unknown paths from a catch-all route; those must not count as a route.
      const route = template && template !== CATCH_ALL ? `${request.baseUrl}${template}` : 'unmatched';
      const labels = { method: request.method, route, status: String(response.statusCode) };
      metrics.httpRequests.inc(labels);
      stopTimer(labels);
    });
    next();
  };
}
