import { InjectConfig } from '@app/config';
import { Injectable } from '@nestjs/common';
import type { NotificationsConfig } from '../config';
import { CircuitBreaker } from './circuit-breaker';
import type { ClaimedDelivery } from './deliveries.repository';
import { DeliveryMetrics } from './delivery.metrics';
import { FailingStreak } from './failing-streak';

/**
 * What attempts teach about an endpoint: its circuit (held back to one probe while it fails every
 * time, in memory per instance) and its failing streak (disabled after 5 days of failures, in the
 * database). Subscriptions' queues have a circuit but no streak: only webhooks are disabled for
 * failing, with a webhook.disabled event.
 */
@Injectable()
export class EndpointHealth {
  private readonly breaker: CircuitBreaker;

  constructor(
    @InjectConfig() config: NotificationsConfig,
    private readonly streak: FailingStreak,
    private readonly metrics: DeliveryMetrics,
  ) {
    this.breaker = new CircuitBreaker({
      failures: config.WEBHOOK_CIRCUIT_BREAKER_FAILURES,
      minFailingMs: config.WEBHOOK_CIRCUIT_BREAKER_MIN_FAILING_MS,
    });
  }

  async succeeded(delivery: ClaimedDelivery): Promise<void> {
    this.breaker.succeeded(delivery.endpoint_id);
    this.metrics.circuitsOpen.set(this.breaker.openCount());
    if (delivery.queue === null) await this.streak.succeeded(delivery);
  }

  /**
   * A failed attempt, before it is recorded: recording releases the claim, and a retry claimed
   * before the streak's start was written would succeed without ending it. Answers whether the
   * circuit is open now (the endpoint's queued deliveries go back) and whether the endpoint was
   * disabled (5 days of failures).
   */
  async failed(
    delivery: ClaimedDelivery,
    attemptedAt: Date,
    probeAt: number,
  ): Promise<{ circuitOpen: boolean; disabled: boolean }> {
    const circuitOpen = this.breaker.failed(delivery.endpoint_id, attemptedAt.getTime(), probeAt);
    this.metrics.circuitsOpen.set(this.breaker.openCount());
    const disabled = delivery.queue === null && (await this.streak.failed(delivery, attemptedAt));
    return { circuitOpen, disabled };
  }

  /** The endpoint changed, was disabled or deleted: its circuit starts over. */
  forget(endpointId: string): void {
    this.breaker.forget(endpointId);
    this.metrics.circuitsOpen.set(this.breaker.openCount());
  }

  isClosed(endpointId: string): boolean {
    return this.breaker.isClosed(endpointId);
  }

  /** Endpoints whose deliveries are held back on purpose at `now`. */
  heldBack(now: number): string[] {
    return this.breaker.heldBack(now);
  }

  probesDue(now: number): string[] {
    return this.breaker.probesDue(now);
  }

  probing(endpointId: string, until: number): void {
    this.breaker.probing(endpointId, until);
  }

  probeSkipped(endpointId: string, probeAt: number): void {
    this.breaker.probeSkipped(endpointId, probeAt);
  }
}
