import { eventually } from './eventually';
import { LoopbackCollector } from './loopback-collector';

/** OTLP's span kinds, by the number its JSON encoding uses. */
const SPAN_KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const;

export type RecordedSpanKind = (typeof SPAN_KINDS)[number];

/** A span as an app exported it (the parts tests look at). */
export interface RecordedSpan {
  /** The exporting app: its resource's `service.name`. */
  service: string;
  traceId: string;
  spanId: string;
  /** Empty for the root of a trace. */
  parentSpanId: string;
  name: string;
  kind: RecordedSpanKind;
  attributes: Record<string, string | number | boolean>;
  /** OTLP status code: 0 unset, 1 ok, 2 error. */
  statusCode: number;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}

interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  attributes?: OtlpAttribute[];
  status?: { code?: number };
}

interface OtlpTraceRequest {
  resourceSpans?: { resource?: { attributes?: OtlpAttribute[] }; scopeSpans?: { spans?: OtlpSpan[] }[] }[];
}

/**
 * An OpenTelemetry collector on loopback, for tests: accepts OTLP/HTTP JSON exports at
 * `/v1/traces` and keeps every span. Point an app at it with
 * `OTEL_EXPORTER_OTLP_ENDPOINT: recorder.endpoint` (and a short `OTEL_BSP_SCHEDULE_DELAY`).
 */
export class OtlpRecorder {
  readonly spans: RecordedSpan[] = [];
  /** How many export requests arrived, spans or not. */
  exports = 0;
  endpoint = '';

  private collector?: LoopbackCollector;

  static async start(): Promise<OtlpRecorder> {
    const recorder = new OtlpRecorder();
    recorder.collector = await LoopbackCollector.start((request, text, response) => {
      if (request.method !== 'POST' || request.url !== '/v1/traces') {
        response.writeHead(404).end();
        return;
      }
      if (!request.headers['content-type']?.startsWith('application/json')) {
        response.writeHead(415).end();
        return;
      }
      recorder.exports += 1;
      recorder.spans.push(...parseOtlpTraces(JSON.parse(text) as OtlpTraceRequest));
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    recorder.endpoint = recorder.collector.origin;
    return recorder;
  }

  /** The spans of one trace. */
  trace(traceId: string): RecordedSpan[] {
    return this.spans.filter((span) => span.traceId === traceId);
  }

  /** Resolves with the first span that `matches`, waiting up to `timeoutMs`. */
  async waitForSpan(matches: (span: RecordedSpan) => boolean, timeoutMs = 20_000): Promise<RecordedSpan> {
    return eventually(
      () => {
        const found = this.spans.find(matches);
        if (!found) throw new Error(`no matching span among ${this.spans.length} received`);
        return found;
      },
      { timeoutMs },
    );
  }

  async close(): Promise<void> {
    await this.collector?.close();
  }
}

/** The spans of an OTLP/JSON `ExportTraceServiceRequest` (ids in hex, as that encoding has them). */
export function parseOtlpTraces(request: OtlpTraceRequest): RecordedSpan[] {
  return (request.resourceSpans ?? []).flatMap((resourceSpans) => {
    const service = String(attributesOf(resourceSpans.resource?.attributes)['service.name'] ?? '');
    return (resourceSpans.scopeSpans ?? []).flatMap((scopeSpans) =>
      (scopeSpans.spans ?? []).map((span) => ({
        service,
        traceId: span.traceId,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId ?? '',
        name: span.name,
        kind: SPAN_KINDS[span.kind ?? 0] ?? 'unspecified',
        attributes: attributesOf(span.attributes),
        statusCode: span.status?.code ?? 0,
      })),
    );
  });
}

function attributesOf(attributes: OtlpAttribute[] = []): Record<string, string | number | boolean> {
  return Object.fromEntries(attributes.map(({ key, value }) => [key, valueOf(value)]));
}

function valueOf(value: OtlpValue): string | number | boolean {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  return value.boolValue ?? '';
}
