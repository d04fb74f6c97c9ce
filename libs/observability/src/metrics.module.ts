import { DynamicModule, Module } from '@nestjs/common';
import { MetricsRegistry } from './metrics.registry';

/**
 * The app's Prometheus registry: default process metrics plus HTTP request metrics. The platform
 * serves it at GET /metrics (MetricsController in @app/bootstrap, beside the health checks).
 */
@Module({})
export class MetricsModule {
  static forRoot(appName: string): DynamicModule {
    return {
      module: MetricsModule,
      global: true,
      providers: [{ provide: MetricsRegistry, useValue: new MetricsRegistry(appName) }],
      exports: [MetricsRegistry],
    };
  }
}
