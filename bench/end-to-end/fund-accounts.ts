import { CURRENCY, OPENING_BALANCE, RunningChain } from './chain';
import type { LoadDriver } from './load-driver';
import type { WebhookArrivals } from './webhook-arrivals';

const FUNDING_CONCURRENCY = 32;

/**
 * Opens every account with a deposit through the chain's own API, then waits for each deposit's
 * webhook: the state is the one the API writes, and the chain has proven itself end to end (and
 * warmed up) before anything is measured.
 */
export async function fundAccounts(
  chain: RunningChain,
  driver: LoadDriver,
  arrivals: WebhookArrivals,
  timeoutMs: number,
): Promise<void> {
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: FUNDING_CONCURRENCY }, async () => {
      while (next < chain.accountIds.length) {
        const accountId = chain.accountIds[next++];
        const answer = await driver.post('/transactions', {
          accountId,
          type: 'deposit',
          amount: String(OPENING_BALANCE),
          currency: CURRENCY,
        });
        if (answer.status !== 201) throw new Error(`${chain.name}: deposit answered ${answer.status}`);
        ids.push((answer.body as { id: string }).id);
      }
    }),
  );
  const missing = await arrivals.waitFor(ids, timeoutMs);
  if (missing > 0) throw new Error(`${chain.name}: ${missing} of ${ids.length} deposit webhooks never arrived`);
}
