/** The `data` of each event type (CONTRACT.md section 5). Amounts are minor units as digit strings. */

export type TransactionType = 'deposit' | 'withdrawal' | 'charge' | 'refund';
export type TransactionStatus = 'pending' | 'completed' | 'failed' | 'reversed';

/** A transaction as the API returns it. */
export interface TransactionData {
  id: string;
  accountId: string;
  type: TransactionType;
  amount: string;
  currency: string;
  status: TransactionStatus;
  description: string | null;
  metadata: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

export interface TransactionUpdatedData extends TransactionData {
  previousStatus: TransactionStatus;
}

/** An account as the API returns it. */
export interface AccountData {
  id: string;
  name: string;
  currency: string;
  balance: string;
  createdAt: string;
  updatedAt: string;
}

export interface AccountBalanceUpdatedData {
  accountId: string;
  balance: string;
  currency: string;
  /** Rises by one per balance change of this account; consumers ignore older versions. */
  version: number;
  transactionId: string;
}

export interface CampaignStatusData {
  id: string;
  accountId: string;
  name: string;
  reason: string;
}

export interface WebhookDisabledData {
  id: string;
  url: string;
  reason: 'gone' | 'failing';
}

export interface WebhookTestData {
  webhookId: string;
  message: string;
}

export interface EventDataByType {
  'account.created': AccountData;
  'transaction.created': TransactionData;
  'transaction.updated': TransactionUpdatedData;
  'account.balance_updated': AccountBalanceUpdatedData;
  'campaign.activated': CampaignStatusData;
  'campaign.paused': CampaignStatusData;
  'webhook.disabled': WebhookDisabledData;
  'webhook.test': WebhookTestData;
}

export type EventType = keyof EventDataByType;
