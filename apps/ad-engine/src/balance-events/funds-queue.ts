/** The engine's queue of balance events (bound to account.balance_updated on transactions.events). */
export const FUNDS_QUEUE = 'ad-engine.funds';
