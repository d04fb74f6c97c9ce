export interface CircuitBreakerPolicy {
  /** Failed attempts in a row, with no success between, that open an endpoint's circuit (0: never). */
  failures: number;
  /** ...and for at least this long since the first of them, so a short outage never trips it. */
  minFailingMs: number;
}

type Circuit =
  | { state: 'closed'; failures: number; failingSince?: number }
  | { state: 'open'; probeAt: number }
  | { state: 'probing'; until: number };

/**
 * Per-endpoint circuit breaker. An endpoint that fails every attempt gets no attempts until its
 * next one is due, and then only one, the probe: the deliveries held back meanwhile stay due,
 * spend none of their retries, and go out together once a probe succeeds. It lives in memory:
 * each instance learns for itself, and a restart costs a few failures to learn it again.
 */
export class CircuitBreaker {
  private readonly circuits = new Map<string, Circuit>();

  constructor(private readonly policy: CircuitBreakerPolicy) {}

  succeeded(endpointId: string): void {
    this.circuits.delete(endpointId);
  }

  /** Returns true when this failure opened (or kept open) the circuit. */
  failed(endpointId: string, at: number, nextAttemptAt: number): boolean {
    const circuit = this.circuits.get(endpointId) ?? { state: 'closed', failures: 0 };
    if (circuit.state === 'open') {
      // A late failure of an attempt from before the circuit opened never puts the probe off.
      this.circuits.set(endpointId, { state: 'open', probeAt: Math.min(circuit.probeAt, nextAttemptAt) });
      return true;
    }
    if (circuit.state === 'probing') {
      this.circuits.set(endpointId, { state: 'open', probeAt: nextAttemptAt });
      return true;
    }
    const failures = circuit.failures + 1;
    const failingSince = circuit.failingSince ?? at;
    const trips =
      this.policy.failures > 0 && failures >= this.policy.failures && at - failingSince >= this.policy.minFailingMs;
    this.circuits.set(
      endpointId,
      trips ? { state: 'open', probeAt: nextAttemptAt } : { state: 'closed', failures, failingSince },
    );
    return trips;
  }

  /** Endpoints that get no attempt at `now`: open and not yet due for a probe, or probing. */
  heldBack(now: number): string[] {
    return [...this.circuits]
      .filter(([, circuit]) =>
        circuit.state === 'open' ? circuit.probeAt > now : circuit.state === 'probing' && circuit.until > now,
      )
      .map(([endpointId]) => endpointId);
  }

  /**
   * Open endpoints whose probe is due, and probes that never reported back by their deadline:
   * the caller claims one delivery of each and calls `probing`.
   */
  probesDue(now: number): string[] {
    return [...this.circuits]
      .filter(([, circuit]) =>
        circuit.state === 'open' ? circuit.probeAt <= now : circuit.state === 'probing' && circuit.until <= now,
      )
      .map(([endpointId]) => endpointId);
  }

  /** A probe is on its way; without an outcome by `until`, another is due. */
  probing(endpointId: string, until: number): void {
    this.circuits.set(endpointId, { state: 'probing', until });
  }

  /** A probe found nothing to attempt (the deliveries went elsewhere): wait for the next one. */
  probeSkipped(endpointId: string, probeAt: number): void {
    this.circuits.set(endpointId, { state: 'open', probeAt });
  }

  /** Endpoints whose circuit is open or probing. */
  openCount(): number {
    return [...this.circuits.values()].filter((circuit) => circuit.state !== 'closed').length;
  }

  /** The endpoint changed (re-enabled, new URL, disabled, deleted): what was learned no longer holds. */
  forget(endpointId: string): void {
    this.circuits.delete(endpointId);
  }

  isClosed(endpointId: string): boolean {
    return (this.circuits.get(endpointId)?.state ?? 'closed') === 'closed';
  }
}
