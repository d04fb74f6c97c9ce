import { InjectConfig } from '@app/config';
import type { EventRecordView } from '@app/messaging';
import { Injectable, Logger } from '@nestjs/common';
import type { NotificationsConfig } from '../config';
import type { AppRecord } from './event-trace';
import type { TracedApp } from './event-trace.view';

/** A trace answers with what it has rather than wait on a producer that hangs. */
const ASK_TIMEOUT_MS = 2_000;

interface Producer {
  app: TracedApp;
  url: string;
  apiKey: string | undefined;
}

/**
 * Asks the producing apps what they kept of an event (their GET /events/:id/record: outbox row
 * and inbox entries), all at once, each within ASK_TIMEOUT_MS. A producer that is down, slow, or
 * answers anything but the record or a 404 is reported as unreachable, never as an error of the
 * trace: the trace then says which app is missing.
 */
@Injectable()
export class ProducerRecords {
  private readonly logger = new Logger(ProducerRecords.name);
  private readonly producers: Producer[];

  constructor(@InjectConfig() config: NotificationsConfig) {
    // The key the catch-up from GET /events sends: a stack usually shares its keys.
    this.producers = [
      { app: 'transactions', url: config.TRANSACTIONS_URL, apiKey: config.TRANSACTIONS_API_KEY ?? config.API_KEYS[0] },
      { app: 'ad-engine', url: config.AD_ENGINE_URL, apiKey: config.AD_ENGINE_API_KEY ?? config.API_KEYS[0] },
    ];
  }

  ask(id: string): Promise<AppRecord[]> {
    return Promise.all(this.producers.map((producer) => this.askOne(producer, id)));
  }

  private async askOne({ app, url, apiKey }: Producer, id: string): Promise<AppRecord> {
    try {
      const response = await fetch(new URL(`/events/${encodeURIComponent(id)}/record`, url), {
        headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
        signal: AbortSignal.timeout(ASK_TIMEOUT_MS),
      });
      const body = (await response.json().catch(() => undefined)) as Partial<EventRecordView & { type: string }>;
      // Only the record's own 404 means "never saw it"; a route-not-found is a producer too old to tell.
      if (response.status === 404 && body?.type === '/problems/not-found') return { app, record: undefined };
      if (!response.ok) throw new Error(`answered ${response.status} ${body?.type ?? ''}`.trim());
      if (!Array.isArray(body?.inbox)) throw new Error(`answered ${response.status} without a record`);
      return { app, record: body as EventRecordView };
    } catch (error) {
      this.logger.warn(`trace of event ${id}: could not ask ${app} at ${url}: ${reasonOf(error)}`);
      return { app, unreachable: true };
    }
  }
}

/** fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND...) is in its cause. */
function reasonOf(error: unknown): string {
  const { message, cause } = error as Error & { cause?: { code?: string; message?: string } };
  const detail = cause?.code ?? cause?.message;
  return detail ? `${message} (${detail})` : message;
}
