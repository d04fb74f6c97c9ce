import type { EndpointRow } from './endpoint.view';

/** Where a webhook's deliveries go and what signing them needs. */
export type WebhookTarget = { queue: null } & Pick<
  EndpointRow,
  'url' | 'secret' | 'previous_secret' | 'previous_secret_expires_at' | 'failing_since'
>;

/** Where a subscription's deliveries go: its queue (`subscriptions.<queue>`); nothing to sign. */
export interface QueueTarget {
  queue: string;
  url: null;
  secret: null;
  previous_secret: null;
  previous_secret_expires_at: null;
  failing_since: null;
}

/** What an attempt needs of the endpoint a delivery is for, as read with the delivery. */
export type Target = WebhookTarget | QueueTarget;
