import { EVENT_SOURCES } from '../event-envelope';
import { EXCHANGES, ExchangeName } from '../exchanges';
import type { EventDataByType, EventType } from './event-data';
import {
  ACCOUNT_BALANCE_UPDATED_SCHEMA,
  ACCOUNT_SCHEMA,
  CAMPAIGN_STATUS_SCHEMA,
  TRANSACTION_SCHEMA,
  TRANSACTION_UPDATED_SCHEMA,
  WEBHOOK_DISABLED_SCHEMA,
  WEBHOOK_TEST_SCHEMA,
} from './event-schemas';

export interface EventDefinition<T extends EventType> {
  type: T;
  exchange: ExchangeName;
  source: string;
  /** What `subject` holds. */
  subject: string;
  summary: string;
  /** False for events that only ever go to a webhook (webhook.test). */
  onBroker: boolean;
  dataSchema: Record<string, unknown>;
  example: EventDataByType[T];
}

const TX_ID = '7f1f3c5e-3f57-4c48-9d8f-9c0d1f6a2b10';
const ACCOUNT_ID = '0b9c2f44-8a5e-4f53-a0a4-6c1d7e2f9a31';
const CAMPAIGN_ID = '5d2e8f10-1c3b-4a6d-9e7f-2b8c4d6e0f12';
const WEBHOOK_ID = 'c3a1e5b7-9d2f-4e8a-b6c4-1f3e5a7b9d20';
const exampleTransaction = {
  id: TX_ID,
  accountId: ACCOUNT_ID,
  type: 'deposit' as const,
  amount: '1050',
  currency: 'EUR',
  status: 'completed' as const,
  description: 'Top-up',
  metadata: { orderId: 'A-1001' },
  createdAt: '2026-01-02T03:04:05.000Z',
  updatedAt: '2026-01-02T03:04:05.000Z',
};

/**
 * Every event the platform publishes: where it goes, what its `subject` is, and the schema of its
 * `data`. The AsyncAPI document is generated from this, and tests check the examples against it.
 */
export const EVENT_CATALOGUE: { [T in EventType]: EventDefinition<T> } = {
  'account.created': {
    type: 'account.created',
    exchange: EXCHANGES.transactions,
    source: EVENT_SOURCES.transactions,
    subject: 'the account id',
    summary: 'An account was opened (its balance is "0").',
    onBroker: true,
    dataSchema: ACCOUNT_SCHEMA,
    example: {
      id: ACCOUNT_ID,
      name: 'Acme Ltd',
      currency: 'EUR',
      balance: '0',
      createdAt: '2026-01-02T03:04:05.000Z',
      updatedAt: '2026-01-02T03:04:05.000Z',
    },
  },
  'transaction.created': {
    type: 'transaction.created',
    exchange: EXCHANGES.transactions,
    source: EVENT_SOURCES.transactions,
    subject: 'the transaction id',
    summary: 'A transaction was recorded (pending or completed).',
    onBroker: true,
    dataSchema: TRANSACTION_SCHEMA,
    example: exampleTransaction,
  },
  'transaction.updated': {
    type: 'transaction.updated',
    exchange: EXCHANGES.transactions,
    source: EVENT_SOURCES.transactions,
    subject: 'the transaction id',
    summary: 'A transaction changed status (completed, failed or reversed).',
    onBroker: true,
    dataSchema: TRANSACTION_UPDATED_SCHEMA,
    example: { ...exampleTransaction, status: 'reversed', previousStatus: 'completed' },
  },
  'account.balance_updated': {
    type: 'account.balance_updated',
    exchange: EXCHANGES.transactions,
    source: EVENT_SOURCES.transactions,
    subject: 'the account id',
    summary: "An account's balance changed; version rises by one per change.",
    onBroker: true,
    dataSchema: ACCOUNT_BALANCE_UPDATED_SCHEMA,
    example: { accountId: ACCOUNT_ID, balance: '1050', currency: 'EUR', version: 1, transactionId: TX_ID },
  },
  'campaign.activated': {
    type: 'campaign.activated',
    exchange: EXCHANGES.adEngine,
    source: EVENT_SOURCES.adEngine,
    subject: 'the campaign id',
    summary: "A campaign became active: the account's known balance reached its minimum.",
    onBroker: true,
    dataSchema: CAMPAIGN_STATUS_SCHEMA,
    example: { id: CAMPAIGN_ID, accountId: ACCOUNT_ID, name: 'Winter sale', reason: 'balance 1050 >= minBalance 1000' },
  },
  'campaign.paused': {
    type: 'campaign.paused',
    exchange: EXCHANGES.adEngine,
    source: EVENT_SOURCES.adEngine,
    subject: 'the campaign id',
    summary: "A campaign was paused: the account's known balance fell below its minimum.",
    onBroker: true,
    dataSchema: CAMPAIGN_STATUS_SCHEMA,
    example: { id: CAMPAIGN_ID, accountId: ACCOUNT_ID, name: 'Winter sale', reason: 'balance 50 < minBalance 1000' },
  },
  'webhook.disabled': {
    type: 'webhook.disabled',
    exchange: EXCHANGES.notifications,
    source: EVENT_SOURCES.notifications,
    subject: 'the webhook endpoint id',
    summary: 'A webhook endpoint was disabled: it answered 410 Gone, or failed every attempt for 5 days.',
    onBroker: true,
    dataSchema: WEBHOOK_DISABLED_SCHEMA,
    example: { id: WEBHOOK_ID, url: 'https://example.com/hooks', reason: 'gone' },
  },
  'webhook.test': {
    type: 'webhook.test',
    exchange: EXCHANGES.notifications,
    source: EVENT_SOURCES.notifications,
    subject: 'the webhook endpoint id',
    summary: 'Sent only to the endpoint it was requested for (POST /webhooks/:id/test); never on RabbitMQ.',
    onBroker: false,
    dataSchema: WEBHOOK_TEST_SCHEMA,
    example: { webhookId: WEBHOOK_ID, message: 'This is a test event' },
  },
};

export const EVENT_TYPES = Object.keys(EVENT_CATALOGUE) as EventType[];
