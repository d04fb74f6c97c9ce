import type { ReadinessCheck } from '@app/bootstrap';
import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { DeliveriesRepository } from './deliveries.repository';
import { DeliveryDispatcher } from './delivery-dispatcher';
import { DeliveryMetrics } from './delivery.metrics';

const LOOP_STALL_MS = 30_000;
const OVERDUE_GRACE_MS = 60_000;

/**
 * Not ready while deliveries are due and nobody is attempting them: the dispatcher loop has not
 * gone round recently, or deliveries of enabled endpoints sit overdue and unclaimed. The API
 * would go on answering 202 while nothing is sent; this makes it visible. Deliveries a circuit
 * breaker holds back on purpose are not a stall.
 */
@Injectable()
export class DeliveryStallCheck implements ReadinessCheck {
  constructor(
    private readonly dispatcher: DeliveryDispatcher,
    private readonly deliveries: DeliveriesRepository,
    private readonly health: HealthIndicatorService,
    private readonly metrics: DeliveryMetrics,
  ) {}

  async check() {
    const indicator = this.health.check('webhookDeliveries');
    const sinceTick = Date.now() - this.dispatcher.lastTickAt;
    if (sinceTick > LOOP_STALL_MS) return indicator.down({ message: `dispatcher has not run for ${sinceTick} ms` });
    let overdue: number;
    try {
      overdue = await this.deliveries.overdueUnclaimed(OVERDUE_GRACE_MS, this.dispatcher.heldBack(OVERDUE_GRACE_MS));
    } catch (error) {
      return indicator.down({ message: `cannot read deliveries: ${(error as Error).message}` });
    }
    this.metrics.overdue.set(overdue);
    return overdue > 0
      ? indicator.down({ message: `${overdue} deliveries overdue and not being attempted` })
      : indicator.up();
  }
}
