import { InjectConfig } from '@app/config';
import { Wakeup } from '@app/background';
import { reportTaskFailure } from '@app/observability';
import { WriteBatcher } from '@app/persistence';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { NotificationsConfig } from '../config';
import { EndpointDisabler } from './endpoint-disabler';
import { AttemptRecord, ClaimedDelivery, DeliveriesRepository } from './deliveries.repository';
import { AttemptResult, DeliveryAttempt } from './delivery-attempt';
import { EndpointHealth } from './endpoint-health';
import { DeliveryLanes } from './delivery-lanes';
import { DeliveryMetrics } from './delivery.metrics';
import { InstanceLease } from './instance-lease';
import { nextAttempt } from './retry-schedule';

/** What the fan-out may claim for this instance, and under which key (see handOffPlan). */
export interface HandOffPlan {
  claimedBy: number;
  claimMs: number;
  endpointChanges: number;
  /** Deliveries all lanes take now. */
  room: number;
  /** Deliveries this endpoint's lane takes now. */
  roomFor(endpointId: string): number;
}

const POLL_MS = 250;
/** How often claims that ran out or whose instances died are looked for (and released, to be claimed at once). */
const ORPHAN_SWEEP_MS = 2_000;
const GLOBAL_CONCURRENCY = 128;
/**
 * An attempt waiting this long gives its global slot up, keeping its endpoint's: far longer than a
 * healthy endpoint takes to answer, far shorter than a timeout, which a few hanging endpoints
 * would otherwise spend holding every slot.
 */
const GLOBAL_SLOT_HELD_MS = 1_000;
/** Deliveries claimed ahead per endpoint at most: one claim per half of it under a backlog... */
const LANE_DEPTH = 256;
/** ...but no more than about this much of its work, so claims are attempted long before they run out. */
const LANE_BUFFER_MS = 5_000;
/**
 * Deliveries held here in all: 8 full lanes. Fixed, not derived from WEBHOOK_ENDPOINT_CONCURRENCY,
 * so that a high setting cannot leave room for one lane only.
 */
const LANES_CAPACITY = 8 * LANE_DEPTH;
/** Rows per claim: a bigger claim ranks a bigger window of the backlog for fairness. */
const MAX_CLAIM = 256;

/**
 * Attempts due deliveries. Claims them in the database (safe with several instances) into
 * per-endpoint lanes that run attempts concurrently under a per-endpoint and a global cap; fresh
 * deliveries also arrive straight from the fan-out, claimed as they were created (handOff). Each
 * attempt's outcome and the delivery's next schedule are written by one statement, shared with
 * the attempts that finished at the same time; a crash before that leaves the claim to expire
 * and the delivery is attempted again (same webhook-id): a duplicate, never a loss.
 */
@Injectable()
export class DeliveryDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DeliveryDispatcher.name);
  private readonly lanes: DeliveryLanes<ClaimedDelivery>;
  private readonly recorder = new WriteBatcher<AttemptRecord, void>(async (records) => {
    await this.deliveries.recordAttempts(undefined, records);
    return records.map(() => undefined);
  });
  private readonly instance: InstanceLease;
  private lastClaimKey?: number;
  private lastOrphanSweep = 0;
  /** Counts endpoint changes, so a hand-off planned before one can tell (see handOff). */
  private endpointChanges = 0;
  /** Outcomes still being written: shutdown waits for them. */
  private readonly recording = new Set<Promise<void>>();
  private running = false;
  private loop?: Promise<void>;
  private readonly wakeup = new Wakeup();
  /** Counts the times unclaimed due deliveries may have appeared (see wake). */
  private backlogMarks = 0;
  /**
   * `backlogMarks` as of the start of the last claim that found nothing and skipped no lane:
   * as long as it has not moved since, there is nothing due here that the poll would not find.
   */
  private marksWhenClaimFoundNothing?: number;
  /** When the loop last went round: readiness reports a stalled dispatcher. */
  lastTickAt = Date.now();

  constructor(
    @InjectConfig() private readonly config: NotificationsConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly deliveries: DeliveriesRepository,
    private readonly disabler: EndpointDisabler,
    private readonly health: EndpointHealth,
    private readonly metrics: DeliveryMetrics,
    private readonly attempts: DeliveryAttempt,
  ) {
    this.lanes = new DeliveryLanes<ClaimedDelivery>(
      {
        perEndpoint: config.WEBHOOK_ENDPOINT_CONCURRENCY,
        global: GLOBAL_CONCURRENCY,
        slotHeldMs: GLOBAL_SLOT_HELD_MS,
        depth: LANE_DEPTH,
        capacity: LANES_CAPACITY,
        bufferMs: LANE_BUFFER_MS,
      },
      (delivery) => this.attempt(delivery),
      // A lane with room claims again only if there may be something to claim: when all there
      // was went straight to the lanes (handOff), a claim per attempt would find nothing.
      () => {
        if (this.backlogPossible()) this.wakeup.wake();
      },
    );
    this.instance = new InstanceLease(config.DATABASE_URL);
  }

  onApplicationBootstrap(): void {
    // Nest calls this hook twice in a hybrid app (for the HTTP app and for the connected
    // microservice); two loops would claim side by side and deadlock each other.
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake();
    await this.loop;
    // What waits unattempted goes back at once, for the next instance to claim without waiting.
    const queued = this.lanes.dropAll();
    if (queued.length > 0) await this.deliveries.release(queued.map((delivery) => delivery.id)).catch(() => undefined);
    await this.lanes.idle();
    await Promise.allSettled([...this.recording]);
    await this.instance.release();
  }

  /**
   * Look for due deliveries now: unclaimed ones may have just appeared (committed without a
   * hand-off, given back, brought forward).
   */
  wake(): void {
    this.backlogMarks++;
    this.wakeup.wake();
  }

  /**
   * Whether a claim may find something the last one did not: it found some (there may be more),
   * skipped a stocked lane, or deliveries may have appeared since (wake). Deliveries of other
   * instances, retries coming due and claims that ran out are found by the poll.
   */
  private backlogPossible(): boolean {
    return this.marksWhenClaimFoundNothing !== this.backlogMarks;
  }

  /**
   * Endpoints whose due deliveries the circuit breaker holds back on purpose: waiting, not
   * stalled. One whose probe has been due for longer than `graceMs` is no longer among them.
   */
  heldBack(graceMs: number): string[] {
    return this.health.heldBack(Date.now() - graceMs);
  }

  /**
   * What the fan-out may claim for this instance as it creates deliveries, taken before it reads
   * the endpoints: how many each endpoint's lane takes now (none while its circuit is not
   * closed), within the room of all lanes. Such deliveries go straight into the lanes (handOff)
   * once committed, without a claim query.
   */
  async handOffPlan(): Promise<HandOffPlan | undefined> {
    if (!this.running) return undefined;
    return {
      claimedBy: await this.claimKey(),
      claimMs: this.claimMs(),
      endpointChanges: this.endpointChanges,
      room: this.lanes.room(),
      roomFor: (endpointId) => (this.health.isClosed(endpointId) ? this.lanes.roomFor(endpointId) : 0),
    };
  }

  /**
   * Deliveries the fan-out claimed for this instance under `plan`, now committed. They are given
   * back instead, for a claim to read them afresh, if an endpoint changed since the plan (they may
   * carry its old URL or secret) or the lease was taken again (their claims name the old key).
   */
  handOff(plan: HandOffPlan | undefined, deliveries: ClaimedDelivery[]): void {
    if (!plan || deliveries.length === 0) return;
    const current = plan.endpointChanges === this.endpointChanges && plan.claimedBy === this.lastClaimKey;
    if (this.running && current) {
      this.lanes.add(deliveries);
      return;
    }
    void this.deliveries.release(deliveries.map((delivery) => delivery.id)).catch(() => undefined);
    this.wake();
  }

  /** A manual retry: this delivery is attempted now, whatever the endpoint's circuit says. */
  async retryNow(deliveryId: string): Promise<void> {
    const claimed = await this.deliveries.claimById(deliveryId, this.claimMs(), await this.claimKey());
    this.lanes.add(claimed);
    if (claimed.length === 0) this.wake();
  }

  /**
   * The endpoint was disabled, deleted, re-enabled or pointed elsewhere: its circuit starts over,
   * and what it has queued here goes back unattempted, to be claimed again as it now is.
   */
  async endpointChanged(endpointId: string): Promise<void> {
    this.health.forget(endpointId);
    await this.reclaim(endpointId);
  }

  /** What the endpoint has queued here goes back, to be claimed again with its current settings. */
  async reclaim(endpointId: string): Promise<void> {
    this.endpointChanges++;
    await this.holdBack(endpointId);
    this.wake();
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.lastTickAt = Date.now();
      let claimed = 0;
      try {
        claimed = await this.claim();
      } catch (error) {
        this.logger.warn(`delivery dispatcher: ${(error as Error).message}`);
        reportTaskFailure('delivery-dispatcher', error);
      }
      // Something was claimed: claim again at once, for the endpoints this claim did not reach.
      if (claimed === 0 && this.running) await this.wakeup.sleep(POLL_MS);
    }
  }

  private async claim(): Promise<number> {
    const room = this.lanes.room();
    if (room === 0) return 0;
    const now = Date.now();
    // The lease covers a short wait in the lane and the attempt; a delivery that waited longer
    // is given up unattempted (see attempt) rather than sent on an expired claim.
    const claimMs = this.claimMs();
    const claimedBy = await this.claimKey();
    if (now - this.lastOrphanSweep >= ORPHAN_SWEEP_MS) {
      this.lastOrphanSweep = now;
      const released = await this.deliveries.releaseStaleClaims();
      if (released > 0)
        this.logger.log(`took over ${released} deliveries whose claims ran out or whose instances are gone`);
    }
    const probes = this.health.probesDue(now).filter((endpointId) => this.lanes.holding(endpointId) === 0);
    if (probes.length > 0) {
      const claimed = await this.deliveries.claimDue({
        limit: probes.length,
        perEndpoint: 1,
        claimMs,
        claimedBy,
        only: probes,
      });
      for (const endpointId of probes) {
        if (claimed.some((delivery) => delivery.endpoint_id === endpointId)) {
          this.health.probing(endpointId, now + claimMs);
        } else this.health.probeSkipped(endpointId, now + POLL_MS);
      }
      this.lanes.add(claimed);
    }
    const marks = this.backlogMarks;
    const stocked = this.lanes.stocked();
    const skip = [...stocked, ...this.health.heldBack(now), ...this.health.probesDue(now)];
    const claimed = await this.deliveries.claimDue({
      limit: Math.min(room, MAX_CLAIM),
      perEndpoint: this.config.WEBHOOK_ENDPOINT_CONCURRENCY,
      rooms: this.lanes.roomByEndpoint(),
      claimMs,
      claimedBy,
      skip,
    });
    this.marksWhenClaimFoundNothing = claimed.length === 0 && stocked.length === 0 ? marks : undefined;
    this.lanes.add(claimed);
    return claimed.length;
  }

  /**
   * This process's instance key for claims. If the lease had to be taken again (its connection
   * was lost), the claims made under the old key are moved to the new one first, so other
   * instances do not take over deliveries this one is still attempting.
   */
  private async claimKey(): Promise<number> {
    const key = await this.instance.current();
    if (this.lastClaimKey !== undefined && this.lastClaimKey !== key) {
      await this.deliveries.adoptClaims(this.lastClaimKey, key);
    }
    this.lastClaimKey = key;
    return key;
  }

  /** Short, because a killed instance's claims hold its deliveries back until they run out. */
  private claimMs(): number {
    return this.config.WEBHOOK_TIMEOUT_MS + 30_000;
  }

  /** Answers false when the delivery was given up unattempted. */
  private async attempt(delivery: ClaimedDelivery): Promise<boolean> {
    const attemptedAt = new Date();
    // Waited in the lane until the claim could have run out (a slow endpoint): another instance
    // may have it by now, and if not, it is claimed again here. Sending it would risk a duplicate.
    const claimLeft = delivery.claimedAt + this.claimMs() - attemptedAt.getTime();
    if (claimLeft < this.config.WEBHOOK_TIMEOUT_MS + 5_000) {
      this.metrics.claimsExpired.inc();
      return false;
    }
    const result = await this.attempts.run(delivery, attemptedAt);
    // The lane's slot is free now; writing the outcome waits for the next batch of them.
    const recorded = this.record(delivery, attemptedAt, result).finally(() => this.recording.delete(recorded));
    this.recording.add(recorded);
    return true;
  }

  private async record(delivery: ClaimedDelivery, attemptedAt: Date, result: AttemptResult): Promise<void> {
    const { succeeded, ...sent } = result;
    if (delivery.queue === null) this.metrics.attempted(delivery, attemptedAt, sent);
    else this.metrics.forwarded(succeeded);
    const outcome = { attemptedAt, ...sent };
    try {
      if (succeeded) {
        await this.recorder.submit({
          deliveryId: delivery.id,
          outcome,
          next: { status: 'succeeded', nextAttemptAt: null },
        });
        this.nextOfSubject(delivery);
        await this.health.succeeded(delivery);
        return;
      }
      if (result.statusCode === 410) {
        this.health.forget(delivery.endpoint_id);
        this.endpointChanges++;
        // Out of the lane now, given back only once the endpoint is disabled (and they are dead):
        // released earlier, they could be claimed and sent to the gone endpoint in between.
        const queued = this.lanes.drop(delivery.endpoint_id);
        await this.dataSource.transaction(async (manager) => {
          const record = { deliveryId: delivery.id, outcome, next: { status: 'dead', nextAttemptAt: null } } as const;
          await this.deliveries.recordAttempts(manager, [record]);
          await this.disabler.disable(manager, delivery.endpoint_id, 'gone');
        });
        if (queued.length > 0) await this.deliveries.release(queued.map((queuedDelivery) => queuedDelivery.id));
        return;
      }
      const schedule = this.config.WEBHOOK_RETRY_SCHEDULE;
      const next = nextAttempt(
        schedule,
        delivery.attempts + 1,
        { status: result.statusCode ?? undefined, retryAfter: result.retryAfter },
        attemptedAt.getTime(),
      );
      const nextAttemptAt = next.dead ? null : new Date(attemptedAt.getTime() + next.delayMs);
      // A dead delivery has no next attempt: the next probe goes after the schedule's first delay.
      const probeAt = nextAttemptAt?.getTime() ?? attemptedAt.getTime() + schedule[0];
      // Learnt before the attempt is recorded (see EndpointHealth.failed).
      const { circuitOpen, disabled } = await this.health.failed(delivery, attemptedAt, probeAt);
      if (circuitOpen) await this.holdBack(delivery.endpoint_id);
      await this.recorder.submit({
        deliveryId: delivery.id,
        outcome,
        next: { status: next.dead ? 'dead' : 'failed', nextAttemptAt },
      });
      if (next.dead) {
        this.metrics.dead.inc();
        this.nextOfSubject(delivery);
      }
      if (disabled) await this.endpointChanged(delivery.endpoint_id);
    } catch (error) {
      // The claim expires and the delivery is attempted again: a duplicate, never a loss.
      this.logger.error(`could not record attempt of delivery ${delivery.id}: ${(error as Error).message}`);
      reportTaskFailure('delivery-attempt-recording', error);
    }
  }

  /**
   * An ordered delivery is done (succeeded or dead), now recorded: the next one of its subject may
   * go, and only a claim can take it, so claim now rather than at the next poll.
   */
  private nextOfSubject(delivery: ClaimedDelivery): void {
    if (delivery.ordering === 'subject') this.wake();
  }

  /** What this endpoint has queued here goes back unattempted, for any instance to claim later. */
  private async holdBack(endpointId: string): Promise<void> {
    const queued = this.lanes.drop(endpointId);
    if (queued.length > 0) await this.deliveries.release(queued.map((delivery) => delivery.id));
  }
}
