export type CampaignStatus = 'active' | 'paused';

export interface Evaluation {
  status: CampaignStatus;
  reason: string;
}

/**
 * A campaign runs while the account's known balance is at least its minimum. An account the
 * engine has not heard of yet counts as having nothing.
 */
export function evaluateCampaign(minBalance: bigint, knownBalance: bigint | undefined): Evaluation {
  if (knownBalance === undefined) {
    return { status: 'paused', reason: `no balance known yet; minBalance ${minBalance}` };
  }
  return knownBalance >= minBalance
    ? { status: 'active', reason: `balance ${knownBalance} >= minBalance ${minBalance}` }
    : { status: 'paused', reason: `balance ${knownBalance} < minBalance ${minBalance}` };
}
