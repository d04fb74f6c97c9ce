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

  it('holds a probing endpoint back, and not probe-due, until the probe has an outcome', () => {
    const breaker = openedAt(t0 + 5_000);
    breaker.probing('e');
    expect(breaker.heldBack(t0 + 5_000)).toEqual(['e']);
    expect(breaker.heldBack(t0 + 10_000_000)).toEqual(['e']);
    expect(breaker.probesDue(t0 + 10_000_000)).toEqual([]);
    expect(breaker.isClosed('e')).toBe(false);
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
    breaker.probing('e');
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
    breaker.probing('e');
    expect(breaker.failed('e', t0 + 5_000, t0 + 9_000)).toBe(true);
    expect(breaker.isClosed('e')).toBe(false);
    expect(breaker.heldBack(t0 + 8_999)).toEqual(['e']);
    expect(breaker.probesDue(t0 + 8_999)).toEqual([]);
    expect(breaker.probesDue(t0 + 9_000)).toEqual(['e']);
    expect(breaker.heldBack(t0 + 9_000)).toEqual([]);
  });

  it('keeps an open circuit open on a further failure, with the probeAt of that failure', () => {
    const breaker = openedAt(t0 + 5_000);
    expect(breaker.failed('e', t0 + 1_200, t0 + 7_000)).toBe(true);
    expect(breaker.probesDue(t0 + 5_000)).toEqual([]);
    expect(breaker.probesDue(t0 + 7_000)).toEqual(['e']);
  });

  it('moves probeAt when a probe is skipped', () => {
    const breaker = openedAt(t0 + 5_000);
    breaker.probeSkipped('e', t0 + 5_250);
    expect(breaker.heldBack(t0 + 5_000)).toEqual(['e']);
    expect(breaker.probesDue(t0 + 5_249)).toEqual([]);
    expect(breaker.probesDue(t0 + 5_250)).toEqual(['e']);
    expect(breaker.heldBack(t0 + 5_250)).toEqual([]);
  });

  it('makes an open circuit probe-due at once on probeNow', () => {
    const breaker = openedAt(t0 + 3_600_000);
    breaker.probeNow('e', t0 + 2_000);
    expect(breaker.probesDue(t0 + 2_000)).toEqual(['e']);
    expect(breaker.heldBack(t0 + 2_000)).toEqual([]);
  });

  it('leaves a closed circuit, and its failing streak, as they are on probeNow', () => {
    const breaker = new CircuitBreaker(policy);
    breaker.probeNow('fresh', t0);
    breaker.failed('e', t0, t0 + 100);
    breaker.failed('e', t0 + 500, t0 + 600);
    breaker.probeNow('e', t0 + 600);
    expect(breaker.isClosed('fresh')).toBe(true);
    expect(breaker.isClosed('e')).toBe(true);
    expect(breaker.probesDue(t0 + 600)).toEqual([]);
    expect(breaker.failed('e', t0 + 1_000, t0 + 5_000)).toBe(true);
  });

  it('lists in notClosed() the open and probing endpoints, whatever the time', () => {
    const breaker = openedAt(t0 + 5_000, 'open');
    breaker.failed('probing', t0, t0 + 100);
    breaker.failed('probing', t0 + 500, t0 + 600);
    breaker.failed('probing', t0 + 1_000, t0 + 5_000);
    breaker.probing('probing');
    breaker.failed('failing', t0, t0 + 100);
    expect([...breaker.notClosed()].sort()).toEqual(['open', 'probing']);

    breaker.succeeded('open');
    breaker.succeeded('probing');
    expect(breaker.notClosed()).toEqual([]);
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

    breaker.probing('b');
    breaker.succeeded('a');
    expect(breaker.isClosed('b')).toBe(false);
    expect(breaker.heldBack(t0 + 1_000)).toEqual(['b']);
  });
});
