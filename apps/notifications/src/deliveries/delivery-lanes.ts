export interface LaneLimits {
  /** Attempts running at once per endpoint. */
  perEndpoint: number;
  /** Attempts running at once in all, counting only those that have run less than `slotHeldMs`. */
  global: number;
  /**
   * When set, an attempt that has run this long gives up its global slot (not its endpoint's):
   * it is waiting on its endpoint, and a few hanging endpoints would otherwise hold every global
   * slot while the others' deliveries wait out their timeouts (CONTRACT.md section 9). What is
   * in flight stays bounded by what the lanes may hold (`room`).
   */
  slotHeldMs?: number;
  /**
   * Deliveries all lanes hold at most (queued and running); by default as many lanes of `depth`
   * as `global` has room for at `perEndpoint` each.
   */
  capacity?: number;
  /** Deliveries an endpoint's lane holds (queued and running) before claims skip it. */
  depth: number;
  /**
   * When set, a lane holds only about this much work, judged by how long the endpoint's attempts
   * take: a fast endpoint's lane grows to `depth`, a slow one's stays at `perEndpoint`, so what it
   * has claimed is attempted well before the claims run out. A new endpoint starts at `perEndpoint`.
   */
  bufferMs?: number;
}

/** Weight of the newest attempt in an endpoint's average attempt duration. */
const DURATION_WEIGHT = 0.2;
/** Endpoints whose average attempt duration is remembered before idle ones are forgotten. */
const MAX_AVERAGES = 1_000;

/**
 * Claimed deliveries, queued per endpoint, and the attempts running: at most `perEndpoint` at
 * once per endpoint and `global` in all (of those not yet waiting long, see `slotHeldMs`), so a
 * slow endpoint fills only its own lane and never delays the others. A lane holds more than it runs, so the next attempt starts the moment a slot
 * frees, and one claim serves many attempts instead of a claim's round trip per few.
 */
export class DeliveryLanes<T extends { endpoint_id: string }> {
  private readonly queued = new Map<string, T[]>();
  private readonly runningByEndpoint = new Map<string, number>();
  /** Attempts holding a global slot. */
  private inGlobalSlots = 0;
  private held = 0;
  private readonly settled = new Set<Promise<void>>();
  private readonly averageMs = new Map<string, number>();

  constructor(
    private readonly limits: LaneLimits,
    /**
     * Runs one attempt; its slot is free when the promise settles. It answers false when it gave
     * the item up without attempting it, which then says nothing about the endpoint's speed.
     */
    private readonly attempt: (item: T) => Promise<boolean | void>,
    /** Called when an endpoint's lane has drained to half its depth: time to claim more. */
    private readonly onLow: () => void,
    private readonly now: () => number = () => performance.now(),
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

  /** How many more deliveries this endpoint's lane takes now (within the global room too). */
  roomFor(endpointId: string): number {
    return Math.max(0, Math.min(this.depthOf(endpointId) - this.holding(endpointId), this.room()));
  }

  /** How many deliveries this endpoint's lane holds when full. */
  depthOf(endpointId: string): number {
    const { perEndpoint, depth, bufferMs } = this.limits;
    if (bufferMs === undefined) return depth;
    const averageMs = this.averageMs.get(endpointId);
    if (averageMs === undefined) return perEndpoint;
    return Math.max(perEndpoint, Math.min(depth, Math.floor((perEndpoint * bufferMs) / Math.max(averageMs, 0.01))));
  }

  /**
   * Endpoints whose lane holds more than half its depth: claims skip them until it has drained to
   * half (onLow says when), so a busy lane is refilled by a few large claims, not one per attempt.
   */
  stocked(): string[] {
    return this.known().filter((endpointId) => this.holding(endpointId) > this.depthOf(endpointId) / 2);
  }

  /** How many more each endpoint may be given, where that is not simply `perEndpoint`. */
  roomByEndpoint(): Map<string, number> {
    const rooms = new Map<string, number>();
    for (const endpointId of this.known()) {
      const room = Math.max(0, this.depthOf(endpointId) - this.holding(endpointId));
      if (room !== this.limits.perEndpoint) rooms.set(endpointId, room);
    }
    return rooms;
  }

  /** How many more deliveries may be claimed in all. */
  room(): number {
    const { capacity, global, perEndpoint, depth } = this.limits;
    return Math.max(0, (capacity ?? Math.floor((global / perEndpoint) * depth)) - this.held);
  }

  private learnDuration(endpointId: string, tookMs: number): void {
    const averageMs = this.averageMs.get(endpointId);
    this.averageMs.set(
      endpointId,
      averageMs === undefined ? tookMs : averageMs + DURATION_WEIGHT * (tookMs - averageMs),
    );
    if (this.averageMs.size > MAX_AVERAGES) this.forgetIdleAverages();
  }

  /** Endpoints with nothing here start over at `perEndpoint`: the averages stay bounded. */
  private forgetIdleAverages(): void {
    for (const endpointId of this.averageMs.keys()) {
      if (this.holding(endpointId) === 0) this.averageMs.delete(endpointId);
    }
  }

  private known(): string[] {
    return [...new Set([...this.queued.keys(), ...this.runningByEndpoint.keys(), ...this.averageMs.keys()])];
  }

  /** Resolves when every running attempt has settled. */
  async idle(): Promise<void> {
    while (this.settled.size > 0) await Promise.allSettled([...this.settled]);
  }

  /** Starts what the caps allow, one attempt per lane in turn, so no lane waits behind a backlog. */
  private pump(): void {
    let started = true;
    while (started && this.inGlobalSlots < this.limits.global) {
      started = false;
      for (const [endpointId, lane] of [...this.queued]) {
        if (this.inGlobalSlots >= this.limits.global) return;
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
    this.inGlobalSlots++;
    this.runningByEndpoint.set(endpointId, (this.runningByEndpoint.get(endpointId) ?? 0) + 1);
    const startedAt = this.now();
    let holdsSlot = true;
    const freeSlot = () => {
      if (!holdsSlot) return;
      holdsSlot = false;
      this.inGlobalSlots--;
    };
    const { slotHeldMs } = this.limits;
    const slotTimer =
      slotHeldMs === undefined
        ? undefined
        : setTimeout(() => {
            freeSlot();
            this.pump();
          }, slotHeldMs).unref();
    const run: Promise<void> = this.attempt(item)
      .catch(() => undefined)
      .then((attempted) => {
        clearTimeout(slotTimer);
        if (attempted !== false) this.learnDuration(endpointId, this.now() - startedAt);
        this.settled.delete(run);
        freeSlot();
        this.held--;
        const left = (this.runningByEndpoint.get(endpointId) ?? 1) - 1;
        if (left > 0) this.runningByEndpoint.set(endpointId, left);
        else this.runningByEndpoint.delete(endpointId);
        this.pump();
        if (this.holding(endpointId) <= this.depthOf(endpointId) / 2) this.onLow();
      });
    this.settled.add(run);
  }
}
