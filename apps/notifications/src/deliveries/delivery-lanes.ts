export interface LaneLimits {
  /** Attempts running at once per endpoint. */
  perEndpoint: number;
  /** Attempts running at once in all. */
  global: number;
  /** Deliveries an endpoint's lane holds (queued and running) before claims skip it. */
  depth: number;
}

/**
 * Claimed deliveries, queued per endpoint, and the attempts running: at most `perEndpoint` at
 * once per endpoint and `global` in all, so a slow endpoint fills only its own lane and never
 * delays the others. A lane holds more than it runs, so the next attempt starts the moment a slot
 * frees, and one claim serves many attempts instead of a claim's round trip per few.
 */
export class DeliveryLanes<T extends { endpoint_id: string }> {
  private readonly queued = new Map<string, T[]>();
  private readonly runningByEndpoint = new Map<string, number>();
  private running = 0;
  private held = 0;
  private readonly settled = new Set<Promise<void>>();

  constructor(
    private readonly limits: LaneLimits,
    /** Runs one attempt; its slot is free when the promise settles. */
    private readonly attempt: (item: T) => Promise<void>,
    /** Called when an endpoint's lane has drained to half its depth: time to claim more. */
    private readonly onLow: () => void,
  ) {}

  add(items: T[]): void {
    for (const item of items) {
      const lane = this.queued.get(item.endpoint_id) ?? [];
      lane.push(item);
      this.queued.set(item.endpoint_id, lane);
      this.held++;
    }
    this.pump();
  }

  /** Takes back what an endpoint has queued but not started (its claims are to be released). */
  drop(endpointId: string): T[] {
    const lane = this.queued.get(endpointId) ?? [];
    this.queued.delete(endpointId);
    this.held -= lane.length;
    return lane;
  }

  /** Takes back everything queued but not started (shutting down). */
  dropAll(): T[] {
    return [...this.queued.keys()].flatMap((endpointId) => this.drop(endpointId));
  }

  /** Deliveries of this endpoint queued or running here. */
  holding(endpointId: string): number {
    return (this.queued.get(endpointId)?.length ?? 0) + (this.runningByEndpoint.get(endpointId) ?? 0);
  }

  /** Endpoints whose lane is full: claims skip them. */
  full(): string[] {
    const endpoints = new Set([...this.queued.keys(), ...this.runningByEndpoint.keys()]);
    return [...endpoints].filter((endpointId) => this.holding(endpointId) >= this.limits.depth);
  }

  /** How many more deliveries may be claimed in all. */
  room(): number {
    return Math.max(0, Math.floor((this.limits.global / this.limits.perEndpoint) * this.limits.depth) - this.held);
  }

  /** Resolves when every running attempt has settled. */
  async idle(): Promise<void> {
    while (this.settled.size > 0) await Promise.allSettled([...this.settled]);
  }

  /** Starts what the caps allow, one attempt per lane in turn, so no lane waits behind a backlog. */
  private pump(): void {
    let started = true;
    while (started && this.running < this.limits.global) {
      started = false;
      for (const [endpointId, lane] of [...this.queued]) {
        if (this.running >= this.limits.global) return;
        if ((this.runningByEndpoint.get(endpointId) ?? 0) >= this.limits.perEndpoint) continue;
        this.start(endpointId, lane.shift() as T);
        started = true;
        // To the back of the line: the next free slot goes to another lane first.
        this.queued.delete(endpointId);
        if (lane.length > 0) this.queued.set(endpointId, lane);
      }
    }
  }

  private start(endpointId: string, item: T): void {
    this.running++;
    this.runningByEndpoint.set(endpointId, (this.runningByEndpoint.get(endpointId) ?? 0) + 1);
    const run: Promise<void> = this.attempt(item)
      .catch(() => undefined)
      .finally(() => {
        this.settled.delete(run);
        this.running--;
        this.held--;
        const left = (this.runningByEndpoint.get(endpointId) ?? 1) - 1;
        if (left > 0) this.runningByEndpoint.set(endpointId, left);
        else this.runningByEndpoint.delete(endpointId);
        this.pump();
        if (this.holding(endpointId) <= this.limits.depth / 2) this.onLow();
      });
    this.settled.add(run);
  }
}
