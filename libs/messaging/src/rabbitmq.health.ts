import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { RabbitMqConnection } from './rabbitmq.connection';

/** Ready only while connected with every channel's topology declared (CONTRACT.md section 1). */
@Injectable()
export class RabbitMqHealthIndicator {
  constructor(
    private readonly connection: RabbitMqConnection,
    private readonly health: HealthIndicatorService,
  ) {}

  check(key = 'rabbitmq') {
    const indicator = this.health.check(key);
    if (!this.connection.isConnected()) return indicator.down({ message: 'not connected' });
    if (!this.connection.isReady()) return indicator.down({ message: 'topology not declared yet' });
    return indicator.up();
  }
}
