import { brokerEventValidator, EventEnvelope } from '@app/contracts';
import { reportTaskFailure } from '@app/observability';
import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';

export interface EventFeedCatchUpOptions {
  /** Names the feed in the cursor table and in logs, e.g. `transactions`. */
  source: string;
  /** The producing service's base URL; its `GET /events` is read. */
  url: string;
  /** Sent as `Authorization: Bearer <key>` when set. */
  apiKey?: string;
  /** Only events of this type (the feed's `type` filter). */
  type?: string;
  /** The reading app's schema, which holds its `catch_up_cursor` table. */
  schema: string;
  /** Events per page, at most the feed's page limit (100). */
  pageSize?: number;
  /** The first wait before trying again; it doubles after each failure, up to a minute. */
  retryMs?: number;
}

const MAX_RETRY_MS = 60_000;

interface EventsPage {
  data: EventEnvelope[];
  nextCursor: string | null;
}

/**
 * Reads a producer's event archive (`GET /events`, CONTRACT.md section 4) from where this reader
 * last stopped to its end, a page at a time, handing each page to `apply` and then storing how far
 * it got (the last `sequence`), so a restart resumes there. This is how a consumer that starts
 * late catches up on what was published before its queue existed (section 5). Runs in the
 * background and retries until it has read to the end once; it never holds up readiness.
 * Events are checked against the event catalogue as those from the queue are (CONTRACT.md
 * section 9): one that breaks it is logged and skipped, never applied.
 */
export class EventFeedCatchUp {
  private readonly logger: Logger;
  private readonly cursorTable: string;
  private running = false;
  private done?: Promise<void>;
  private interruptWait?: () => void;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: EventFeedCatchUpOptions,
    private readonly apply: (events: EventEnvelope[]) => Promise<void>,
  ) {
    this.logger = new Logger(`EventFeedCatchUp(${options.source})`);
    this.cursorTable = `"${options.schema}".catch_up_cursor`;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.done = this.run();
  }

  /** Resolves once the catch-up has stopped (after the page in hand). */
  async stop(): Promise<void> {
    this.running = false;
    this.interruptWait?.();
    await this.done;
  }

  /** Resolves when the feed has been read to its end once (or the reader was stopped). */
  finished(): Promise<void> {
    return this.done ?? Promise.resolve();
  }

  private async run(): Promise<void> {
    let waitMs = this.options.retryMs ?? 5_000;
    while (this.running) {
      try {
        const read = await this.readToEnd();
        if (read > 0) this.logger.log(`caught up on ${read} events from ${this.options.url}/events`);
        return;
      } catch (error) {
        this.logger.warn(
          `catching up from ${this.options.url}/events: ${(error as Error).message}; retrying in ${waitMs / 1000} s`,
        );
        reportTaskFailure(`event-feed-catch-up:${this.options.source}`, error);
        const timeout = waitMs;
        waitMs = Math.min(waitMs * 2, MAX_RETRY_MS);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, timeout);
          this.interruptWait = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }

  private async readToEnd(): Promise<number> {
    let sequence = await this.lastSequence();
    let read = 0;
    while (this.running) {
      const page = await this.fetchPage(sequence);
      if (page.data.length > 0) {
        const valid = this.valid(page.data);
        if (valid.length > 0) await this.apply(valid);
        sequence = page.data[page.data.length - 1].sequence ?? sequence;
        if (sequence) await this.saveSequence(sequence);
        read += page.data.length;
      }
      if (!page.nextCursor) return read;
    }
    return read;
  }

  private valid(events: EventEnvelope[]): EventEnvelope[] {
    return events.filter((event) => {
      const rejection = brokerEventValidator().check(event);
      if (rejection) {
        this.logger.warn(
          `skipping event ${String(event.id)} from ${this.options.url}/events: ${rejection.reason} (${rejection.detail})`,
        );
      }
      return !rejection;
    });
  }

  private async fetchPage(afterSequence: string | undefined): Promise<EventsPage> {
    const url = new URL('/events', this.options.url);
    if (this.options.type) url.searchParams.set('type', this.options.type);
    url.searchParams.set('limit', String(this.options.pageSize ?? 100));
    if (afterSequence) url.searchParams.set('after_sequence', afterSequence);
    const response = await fetch(url, {
      headers: this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {},
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) {
      const detail = (await response.text().catch(() => '')).slice(0, 300);
      throw new Error(`GET /events answered ${response.status} ${detail}`.trim());
    }
    return (await response.json()) as EventsPage;
  }

  private async lastSequence(): Promise<string | undefined> {
    const [row] = await this.dataSource.query<{ sequence: string }[]>(
      `SELECT sequence::text AS sequence FROM ${this.cursorTable} WHERE source = $1`,
      [this.options.source],
    );
    return row?.sequence;
  }

  private async saveSequence(sequence: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO ${this.cursorTable} (source, sequence) VALUES ($1, $2)
       ON CONFLICT (source) DO UPDATE SET sequence = EXCLUDED.sequence, updated_at = now()`,
      [this.options.source, sequence],
    );
  }
}

/** The table an EventFeedCatchUp keeps its place in, for an app's migration. */
export const catchUpCursorTableUp = (schema: string): string =>
  `CREATE TABLE "${schema}".catch_up_cursor (
    source varchar(100) PRIMARY KEY,
    sequence bigint NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
  )`;

export const catchUpCursorTableDown = (schema: string): string => `DROP TABLE "${schema}".catch_up_cursor`;
