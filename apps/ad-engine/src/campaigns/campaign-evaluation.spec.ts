import { evaluateCampaign } from './campaign-evaluation';

describe('evaluateCampaign', () => {
  it('is active at or above the minimum and paused below it', () => {
    expect(evaluateCampaign(1000n, 1000n)).toEqual({ status: 'active', reason: 'balance 1000 >= minBalance 1000' });
    expect(evaluateCampaign(1000n, 999n)).toEqual({ status: 'paused', reason: 'balance 999 < minBalance 1000' });
    expect(evaluateCampaign(1n, 999_999_999_999_999_999n).status).toBe('active');
  });

  it('is paused while the balance is unknown', () => {
    expect(evaluateCampaign(1n, undefined).status).toBe('paused');
  });
});
