/**
 * The platform's exchanges (CONTRACT.md section 5): one durable topic exchange per producer,
 * routing key = event type. Each has an alternate exchange `<exchange>.unrouted` that keeps
 * messages no queue was bound for yet.
 */
export const EXCHANGES = {
  transactions: 'transactions.events',
  adEngine: 'ad-engine.events',
  notifications: 'notifications.events',
} as const;

export type ExchangeName = (typeof EXCHANGES)[keyof typeof EXCHANGES];

export const ALL_EXCHANGES: readonly ExchangeName[] = Object.values(EXCHANGES);

export const unroutedName = (exchange: string): string => `${exchange}.unrouted`;

export const deadLetterQueueName = (queue: string): string => `${queue}.dlq`;
/** The queue an event-bus subscription forwards to (CONTRACT.md section 8), declared and owned by notifications. */
export const subscriptionQueueName = (queue: string): string => `subscriptions.${queue}`;
