import { eventually } from './eventually';
import { LoopbackCollector } from './loopback-collector';

/** One item of an envelope: its header (`type`: event, transaction, session...) and its payload. */
export interface EnvelopeItem {
  type: string;
  payload: Record<string, unknown>;
}

/** An error or transaction event as Sentry receives it (the parts tests look at). */
export interface RecordedSentryEvent extends Record<string, unknown> {
  message?: string;
  tags?: Record<string, string>;
  exception?: { values?: { type?: string; value?: string }[] };
  request?: Record<string, unknown>;
}

/**
 * A Sentry ingestion endpoint on loopback: accepts envelope POSTs at `/api/<project>/envelope/`,
 * parses the newline-delimited envelope (https://develop.sentry.dev/sdk/data-model/envelopes/)
 * and keeps every item and the raw text, so a test can wait for an event and check that nothing
 * it must not carry was sent. Point an app at it with `SENTRY_DSN: recorder.dsn`.
 */
export class SentryRecorder {
  readonly items: EnvelopeItem[] = [];
  /** Every envelope as it arrived, decompressed: what left the process, to search for leaks. */
  readonly raw: string[] = [];
  dsn = '';

  private collector?: LoopbackCollector;

  static async start(): Promise<SentryRecorder> {
    const recorder = new SentryRecorder();
    recorder.collector = await LoopbackCollector.start((request, text, response) => {
      if (request.method !== 'POST' || !/^\/api\/[^/]+\/envelope\/?(\?|$)/.test(request.url ?? '')) {
        response.writeHead(404).end();
        return;
      }
      recorder.raw.push(text);
      recorder.items.push(...parseEnvelope(text));
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    recorder.dsn = recorder.collector.origin.replace('http://', 'http://publickey@') + '/1';
    return recorder;
  }

  /** Error events received so far. */
  events(): RecordedSentryEvent[] {
    return this.items.filter((item) => item.type === 'event').map((item) => item.payload as RecordedSentryEvent);
  }

  /** Resolves with the first error event that `matches`, waiting up to `timeoutMs`. */
  async waitForEvent(
    matches: (event: RecordedSentryEvent) => boolean,
    timeoutMs = 20_000,
  ): Promise<RecordedSentryEvent> {
    return eventually(
      () => {
        const found = this.events().find(matches);
        if (!found) throw new Error(`no matching Sentry event among ${this.events().length} received`);
        return found;
      },
      { timeoutMs },
    );
  }

  async close(): Promise<void> {
    await this.collector?.close();
  }
}

/**
 * An envelope is a header line, then per item a header line and a payload: `length` bytes when
 * the item header gives it, else up to the next newline.
 */
export function parseEnvelope(text: string): EnvelopeItem[] {
  const bytes = Buffer.from(text, 'utf8');
  let offset = bytes.indexOf(0x0a);
  if (offset < 0) return [];
  offset += 1;
  const items: EnvelopeItem[] = [];
  while (offset < bytes.length) {
    const headerEnd = bytes.indexOf(0x0a, offset);
    if (headerEnd < 0) break;
    const header = JSON.parse(bytes.subarray(offset, headerEnd).toString('utf8')) as { type: string; length?: number };
    offset = headerEnd + 1;
    const end = header.length !== undefined ? offset + header.length : endOfLine(bytes, offset);
    const payload = bytes.subarray(offset, end).toString('utf8');
    items.push({ type: header.type, payload: parseJson(payload) });
    offset = end + 1;
  }
  return items;
}

function endOfLine(bytes: Buffer, from: number): number {
  const end = bytes.indexOf(0x0a, from);
  return end < 0 ? bytes.length : end;
}

function parseJson(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Attachments and other binary items are kept as text.
    return { text };
  }
}
