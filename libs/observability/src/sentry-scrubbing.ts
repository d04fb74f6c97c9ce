import type { Breadcrumb, Event } from '@sentry/nestjs';

const REDACTED = '[redacted]';

/**
 * Keys dropped wherever they appear in an event or breadcrumb: request and response headers
 * (`Authorization`, `Cookie` and the rest), cookies, query strings (`query_string`, a span's
 * `http.query`, `url.query`), SQL parameters (TypeORM's `QueryFailedError.parameters`, a span's
 * `db.parameters`), bodies and anything named like a credential.
 */
const DROPPED_KEY =
  /^(headers|cookies?|authorization|(.*\.)?query(_string)?|(.*\.)?parameters|body|secrets?|password|api_?key|token)$/i;

/** A Standard Webhooks signing secret (`whsec_` and its base64 key), wherever it is quoted. */
const WEBHOOK_SECRET = /whsec_[A-Za-z0-9+/=_-]*/g;
/** Credentials of an Authorization header quoted in a message. */
const AUTHORIZATION_CREDENTIALS = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
/** A query string (`?name=value&...`) in a URL or path quoted anywhere, up to a fragment or a space. */
const QUERY_STRING = /\?[^\s#"'?]*=[^\s#"']*/g;

const MAX_DEPTH = 12;

/**
 * Sentry events never carry request headers, request bodies, query strings, SQL parameters or
 * webhook secrets (CONTRACT.md section 9). @sentry/nestjs 10 attaches the incoming request's
 * headers, cookies and body even with `sendDefaultPii: false`, so this runs in `beforeSend` and
 * `beforeSendTransaction`: the request keeps its method and its URL without the query, every
 * other part of the event is walked to drop such keys and blank such strings.
 */
export function scrubEvent<E extends Event>(event: E): E {
  const { request, ...rest } = event;
  const scrubbed = scrubValue(rest, 0, new Set()) as E;
  if (request) {
    scrubbed.request = {
      ...(request.method ? { method: request.method } : {}),
      ...(request.url ? { url: scrubString(request.url) } : {}),
    };
  }
  return scrubbed;
}

/** The same for a breadcrumb (`beforeBreadcrumb`): an outgoing request's URL loses its query. */
export function scrubBreadcrumb(breadcrumb: Breadcrumb): Breadcrumb {
  return scrubValue(breadcrumb, 0, new Set()) as Breadcrumb;
}

/** Blanks webhook secrets, Authorization credentials and query strings in free text. */
export function scrubString(text: string): string {
  return text
    .replace(WEBHOOK_SECRET, REDACTED)
    .replace(AUTHORIZATION_CREDENTIALS, `$1 ${REDACTED}`)
    .replace(QUERY_STRING, '');
}

/** A scrubbed copy; `ancestors` are the objects on the path here, so a cycle ends instead of recursing. */
function scrubValue(value: unknown, depth: number, ancestors: Set<object>): unknown {
  if (typeof value === 'string') return scrubString(value);
  if (value === null || typeof value !== 'object') return value;
  // Deeper than Sentry normalises, or a cycle: nothing worth keeping that we could vouch for.
  if (depth > MAX_DEPTH || ancestors.has(value)) return REDACTED;
  ancestors.add(value);
  let scrubbed: unknown;
  if (Array.isArray(value)) {
    scrubbed = value.map((item) => scrubValue(item, depth + 1, ancestors));
  } else {
    scrubbed = Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !DROPPED_KEY.test(key))
        .map(([key, item]) => [key, scrubValue(item, depth + 1, ancestors)]),
    );
  }
  ancestors.delete(value);
  return scrubbed;
}
