export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

export interface MessagingModuleOptions {
  appName: string;
  /** The exchange this app publishes to and owns. */
  exchange: string;
  /** CloudEvents `source` of this app's events, e.g. `/transactions`. */
  source: string;
  /** The app's PostgreSQL schema, holding its outbox and inbox. */
  schema: string;
}
