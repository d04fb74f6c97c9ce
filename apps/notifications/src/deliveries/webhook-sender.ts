import { LONE_SURROGATES } from '@app/http';
import { isIP } from 'node:net';
import { Agent, request } from 'undici';
import { forbiddenAddressReason } from '../targets/forbidden-address';
import { guardedLookup } from '../targets/guarded-lookup';

export const RESPONSE_EXCERPT_BYTES = 4 * 1024;

export interface SendResult {
  statusCode: number | null;
  retryAfter?: string;
  responseExcerpt: string | null;
  error: string | null;
  durationMs: number;
}

/**
 * POSTs webhooks with undici: keep-alive connection pools per origin, one timeout for the whole
 * attempt, no redirects followed (a 3xx is a failed attempt), at most 4 KiB of the answer kept.
 * Unless private targets are allowed, every connection goes through a lookup that refuses
 * internal addresses, and IP-literal hosts are checked before connecting.
 */
export class WebhookSender {
  private readonly agent: Agent;

  constructor(private readonly options: { timeoutMs: number; allowPrivateTargets: boolean }) {
    this.agent = new Agent({
      keepAliveTimeout: 30_000,
      // No cap per origin: endpoints on one host and port share its pool, and a capped pool let a
      // hanging endpoint's attempts hold every connection while another endpoint's requests
      // queued behind them for a whole timeout. The dispatcher's lanes bound the attempts in
      // flight (per endpoint and in all), hence the connections too.
      connections: null,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connect: { timeout: options.timeoutMs, ...(options.allowPrivateTargets ? {} : { lookup: guardedLookup }) },
    });
  }

  async send(url: string, headers: Record<string, string>, body: string): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const refused = this.refusedLiteral(url);
    if (refused) return { statusCode: null, responseExcerpt: null, error: refused, durationMs: 0 };
    try {
      const response = await request(url, {
        method: 'POST',
        headers,
        body,
        dispatcher: this.agent,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const excerpt = await readExcerpt(response.body);
      const retryAfter = response.headers['retry-after'];
      return {
        statusCode: response.statusCode,
        retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
        responseExcerpt: excerpt,
        error: response.statusCode >= 200 && response.statusCode < 300 ? null : `HTTP ${response.statusCode}`,
        durationMs: elapsed(),
      };
    } catch (error) {
      return {
        statusCode: null,
        responseExcerpt: null,
        error: describe(error, this.options.timeoutMs),
        durationMs: elapsed(),
      };
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private refusedLiteral(url: string): string | undefined {
    if (this.options.allowPrivateTargets) return undefined;
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    if (!isIP(host)) return undefined;
    const reason = forbiddenAddressReason(host);
    return reason && `refused to connect to ${host}: ${reason}`;
  }
}

async function readExcerpt(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= RESPONSE_EXCERPT_BYTES) break;
  }
  return excerptOf(Buffer.concat(chunks));
}

/**
 * At most RESPONSE_EXCERPT_BYTES of an answer as storable UTF-8 text, cut between characters: a
 * character cut in two would decode to a 3-byte U+FFFD and take the excerpt past the limit, and
 * so would the replacements of a binary answer's invalid bytes.
 */
export function excerptOf(bytes: Buffer): string | null {
  if (bytes.length === 0) return null;
  const text = storable(bytes.subarray(0, characterBoundary(bytes, RESPONSE_EXCERPT_BYTES)).toString('utf8'));
  const encoded = Buffer.from(text, 'utf8');
  if (encoded.length <= RESPONSE_EXCERPT_BYTES) return text;
  return encoded.subarray(0, characterBoundary(encoded, RESPONSE_EXCERPT_BYTES)).toString('utf8');
}

/** The largest length up to `limit` that does not end inside a UTF-8 sequence. */
function characterBoundary(bytes: Buffer, limit: number): number {
  if (bytes.length <= limit) return bytes.length;
  let end = limit;
  // Continuation bytes are 10xxxxxx: step back to the first byte of the character cut in two.
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  return end;
}

/**
 * Text PostgreSQL can store: without NUL characters (a binary answer) and without a surrogate
 * half left by cutting a string short.
 */
export function storable(text: string): string {
  return text.replaceAll('\u0000', '').replace(LONE_SURROGATES, '\uFFFD');
}

function describe(error: unknown, timeoutMs: number): string {
  const err = error as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.code === 'UND_ERR_HEADERS_TIMEOUT' || err.code === 'UND_ERR_BODY_TIMEOUT') {
    return `timed out after ${timeoutMs} ms`;
  }
  const code = err.cause?.code ?? err.code;
  const message = err.cause?.message ?? err.message ?? String(error);
  return storable((code && !message.includes(code) ? `${code}: ${message}` : message).slice(0, 1_000));
}
