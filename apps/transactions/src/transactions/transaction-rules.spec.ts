import { balanceDeltaOfTransition, balanceEffect, canTransition } from './transaction-rules';

describe('transaction rules', () => {
  it.each([
    ['deposit', 1050n],
    ['refund', 1050n],
    ['withdrawal', -1050n],
    ['charge', -1050n],
  ] as const)('%s moves the balance by %s', (type, effect) => {
    expect(balanceEffect(type, 1050n)).toBe(effect);
  });

  it.each([
    ['pending', 'completed', true],
    ['pending', 'failed', true],
    ['completed', 'reversed', true],
    ['pending', 'reversed', false],
    ['pending', 'pending', false],
    ['completed', 'failed', false],
    ['completed', 'completed', false],
    ['failed', 'completed', false],
    ['reversed', 'completed', false],
  ] as const)('%s -> %s allowed: %s', (from, to, allowed) => {
    expect(canTransition(from, to)).toBe(allowed);
  });

  it('applies the effect on completion, undoes it on reversal, and moves nothing on failure', () => {
    expect(balanceDeltaOfTransition('withdrawal', 300n, 'pending', 'completed')).toBe(-300n);
    expect(balanceDeltaOfTransition('deposit', 300n, 'completed', 'reversed')).toBe(-300n);
    expect(balanceDeltaOfTransition('charge', 300n, 'completed', 'reversed')).toBe(300n);
    expect(balanceDeltaOfTransition('deposit', 300n, 'pending', 'failed')).toBe(0n);
  });

  it('keeps 18-digit amounts exact (no floating point)', () => {
    expect(balanceEffect('deposit', 999_999_999_999_999_999n)).toBe(999_999_999_999_999_999n);
  });
});
