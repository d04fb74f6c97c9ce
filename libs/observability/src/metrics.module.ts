import { DynamicModule, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { MetricsRegistry } from './metrics.registry';

/** Prometheus metrics at GET /metrics: default process metrics plus HTTP request metrics. */
@Module({})
export class MetricsModule {
  static forRoot(appName: string): DynamicModule {
    return {
      module: MetricsModule,
      global: true,
      controllers: [MetricsController],
      providers: [{ provide: MetricsRegistry, useValue: new MetricsRegistry(appName) }],
      exports: [MetricsRegistry],
    };
  }
}
