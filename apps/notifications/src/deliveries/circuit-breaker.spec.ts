import { CircuitBreaker } from './circuit-breaker';

const t0 = 1_000_000;
const policy = { failures: 3, minFailingMs: 1_000 };

/** A breaker whose circuit for `endpointId` opened at t0 + 1000 with its probe due at `probeAt`. */
function openedAt(probeAt: number, endpointId = 'e'): CircuitBreaker {
  const breaker = new CircuitBreaker(policy);
  breaker.failed(endpointId, t0, t0 + 100);
  breaker.failed(endpointId, t0 + 500, t0 + 600);
  expect(breaker.failed(endpointId, t0 + 1_000, probeAt)).toBe(true);
  return breaker;
}

describe('CircuitBreaker', () => {
  it('stays closed while the failures in a row are fewer than the policy count, however long the streak', () => {
    const breaker = new CircuitBreaker(policy);
    expect(breaker.failed('e', t0, t0 + 100)).toBe(false);
    expect(breaker.failed('e', t0 + 60_000, t0 + 60_100)).toBe(false);
    expect(breaker.isClosed('e')).toBe(true);
    expect(breaker.heldBack(t0 + 60_000)).toEqual([]);
    expect(breaker.probesDue(t0 + 10_000_000)).toEqual([]);
  });

  it('stays closed while the streak is shorter than minFailingMs, however many failures', () => {
    const breaker = new CircuitBreaker(policy);
    for (let at = t0; at < t0 + 1_000; at += 100) expect(breaker.failed('e', at, at + 100)).toBe(false);
    expect(breaker.isClosed('e')).toBe(true);
    expect(breaker.heldBack(t0 + 999)).toEqual([]);
    expect(breaker.probesDue(t0 + 10_000_000)).toEqual([]);
  });

  it('opens on the failure that reaches both the count and minFailingMs since the first failure', () => {
    const breaker = new CircuitBreaker(policy);
    expect(breaker.failed('e', t0, t0 + 100)).toBe(false);
    expect(breaker.failed('e', t0 + 500, t0 + 600)).toBe(false);
    expect(breaker.failed('e', t0 + 999, t0 + 1_099)).toBe(false);
    expect(breaker.isClosed('e')).toBe(true);
    expect(breaker.failed('e', t0 + 1_000, t0 + 5_000)).toBe(true);
    expect(breaker.isClosed('e')).toBe(false);
  });

  it('holds an open endpoint back, and lists no probe for it, until probeAt', () => {
    const breaker = openedAt(t0 + 5_000);
    expect(breaker.heldBack(t0 + 1_000)).toEqual(['e']);
    expect(breaker.heldBack(t0 + 4_999)).toEqual(['e']);
    expect(breaker.probesDue(t0 + 4_999)).toEqual([]);
  });

  it('lists the endpoint as probe-due, and no longer held back, from probeAt on', () => {
    const breaker = openedAt(t0 + 5_000);
    expect(breaker.probesDue(t0 + 5_000)).toEqual(['e']);
    expect(breaker.heldBack(t0 + 5_000)).toEqual([]);
    expect(breaker.probesDue(t0 + 60_000)).toEqual(['e']);
    expect(breaker.heldBack(t0 + 60_000)).toEqual([]);
  });

  it('holds a probing endpoint back, and not probe-due, until the probe has an outcome or its deadline passes', () => {
    const breaker = openedAt(t0 + 5_000);
    breaker.probing('e', t0 + 50_000);
    expect(breaker.heldBack(t0 + 5_000)).toEqual(['e']);
    expect(breaker.heldBack(t0 + 49_999)).toEqual(['e']);
    expect(breaker.probesDue(t0 + 49_999)).toEqual([]);
    expect(breaker.isClosed('e')).toBe(false);
    // A probe that never reported back (its claim expired unattempted) does not hold it forever.
    expect(breaker.heldBack(t0 + 50_000)).toEqual([]);
    expect(breaker.probesDue(t0 + 50_000)).toEqual(['e']);
  });

  it('closes on a success while open', () => {
    const breaker = openedAt(t0 + 5_000);
    breaker.succeeded('e');
    expect(breaker.isClosed('e')).toBe(true);
    expect(breaker.heldBack(t0 + 1_000)).toEqual([]);
    expect(breaker.probesDue(t0 + 5_000)).toEqual([]);
  });

  it('closes on a successful probe', () => {
    const breaker = openedAt(t0 + 5_000);
    breaker.probing('e', t0 + 50_000);
    breaker.succeeded('e');
    expect(breaker.isClosed('e')).toBe(true);
    expect(breaker.heldBack(t0 + 5_000)).toEqual([]);
    expect(breaker.probesDue(t0 + 5_000)).toEqual([]);
  });

  it('starts the streak again after a success: the count and minFailingMs run from the next failure', () => {
    const breaker = new CircuitBreaker(policy);
    breaker.failed('e', t0, t0 + 100);
    breaker.failed('e', t0 + 500, t0 + 600);
    breaker.succeeded('e');
    expect(breaker.failed('e', t0 + 2_000, t0 + 2_100)).toBe(false);
    expect(breaker.failed('e', t0 + 2_500, t0 + 2_600)).toBe(false);
    expect(breaker.failed('e', t0 + 2_999, t0 + 3_099)).toBe(false);
    expect(breaker.failed('e', t0 + 3_000, t0 + 8_000)).toBe(true);
  });

  it('reopens on a failed probe, with the probeAt of that failure', () => {
    const breaker = openedAt(t0 + 5_000);
    breaker.probing('e', t0 + 50_000);
    expect(breaker.failed('e', t0 + 5_000, t0 + 9_000)).toBe(true);
    expect(breaker.isClosed('e')).toBe(false);
    expect(breaker.heldBack(t0 + 8_999)).toEqual(['e']);
    expect(breaker.probesDue(t0 + 8_999)).toEqual([]);
    expect(breaker.probesDue(t0 + 9_000)).toEqual(['e']);
    expect(breaker.heldBack(t0 + 9_000)).toEqual([]);
  });

  it('keeps an open circuit open on a further failure, never putting the probe off', () => {
    const breaker = openedAt(t0 + 5_000);
    expect(breaker.failed('e', t0 + 1_200, t0 + 86_400_000)).toBe(true);
    expect(breaker.probesDue(t0 + 5_000)).toEqual(['e']);
    expect(breaker.failed('e', t0 + 1_300, t0 + 4_000)).toBe(true);
    expect(breaker.probesDue(t0 + 4_000)).toEqual(['e']);
  });

  it('moves probeAt when a probe is skipped', () => {
    const breaker = openedAt(t0 + 5_000);
    breaker.probeSkipped('e', t0 + 5_250);
    expect(breaker.heldBack(t0 + 5_000)).toEqual(['e']);
    expect(breaker.probesDue(t0 + 5_249)).toEqual([]);
    expect(breaker.probesDue(t0 + 5_250)).toEqual(['e']);
    expect(breaker.heldBack(t0 + 5_250)).toEqual([]);
  });

  it('forgets an endpoint that changed: closed, nothing held back, and its streak starts over', () => {
    const breaker = openedAt(t0 + 3_600_000);
    breaker.forget('e');
    expect(breaker.isClosed('e')).toBe(true);
    expect(breaker.heldBack(t0 + 2_000)).toEqual([]);
    expect(breaker.failed('e', t0 + 2_000, t0 + 2_100)).toBe(false);
  });

  it('counts the open and probing circuits, whatever the time', () => {
    const breaker = openedAt(t0 + 5_000, 'open');
    breaker.failed('probing', t0, t0 + 100);
    breaker.failed('probing', t0 + 500, t0 + 600);
    breaker.failed('probing', t0 + 1_000, t0 + 5_000);
    breaker.probing('probing', t0 + 50_000);
    breaker.failed('failing', t0, t0 + 100);
    expect(breaker.openCount()).toBe(2);

    breaker.succeeded('open');
    breaker.succeeded('probing');
    expect(breaker.openCount()).toBe(0);
  });

  it('never opens when the policy count is 0', () => {
    const breaker = new CircuitBreaker({ failures: 0, minFailingMs: 0 });
    for (let i = 0; i < 100; i++) {
      const at = t0 + i * 60_000;
      expect(breaker.failed('e', at, at + 5_000)).toBe(false);
    }
    expect(breaker.isClosed('e')).toBe(true);
    expect(breaker.heldBack(t0 + 100 * 60_000)).toEqual([]);
    expect(breaker.probesDue(t0 + 100 * 60_000)).toEqual([]);
  });

  it("keeps each endpoint's circuit to itself", () => {
    const breaker = openedAt(t0 + 5_000, 'a');
    expect(breaker.failed('b', t0, t0 + 100)).toBe(false);
    expect(breaker.failed('b', t0 + 500, t0 + 600)).toBe(false);
    expect(breaker.isClosed('b')).toBe(true);
    expect(breaker.heldBack(t0 + 1_000)).toEqual(['a']);
    expect(breaker.probesDue(t0 + 5_000)).toEqual(['a']);

    breaker.succeeded('a');
    expect(breaker.isClosed('a')).toBe(true);
    expect(breaker.failed('b', t0 + 1_000, t0 + 6_000)).toBe(true);
    expect(breaker.heldBack(t0 + 1_000)).toEqual(['b']);

    breaker.probing('b', t0 + 50_000);
    breaker.succeeded('a');
    expect(breaker.isClosed('b')).toBe(false);
    expect(breaker.heldBack(t0 + 1_000)).toEqual(['b']);
  });
});
