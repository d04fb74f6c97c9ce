import type { ErrorEvent, Event } from '@sentry/nestjs';
import { scrubBreadcrumb, scrubEvent, scrubString } from './sentry-scrubbing';

const SECRET = 'whsec_c2VjcmV0LXZhbHVlLWZvci10ZXN0';

/** What @sentry/nestjs 10 attached to a 5xx event of a request with credentials in it. */
function reportedError(): ErrorEvent {
  return {
    type: undefined,
    message: `could not sign with ${SECRET}`,
    exception: { values: [{ type: 'Error', value: 'failed on GET /probe/boom?api_key=secret123' }] },
    request: {
      method: 'POST',
      url: 'http://127.0.0.1:3000/probe/boom?api_key=secret123&token=t0k',
      query_string: 'api_key=secret123&token=t0k',
      headers: { authorization: 'Bearer key-one', cookie: 'session=abc', 'x-request-id': 'r-1' },
      cookies: { session: 'abc' },
      data: '{"name":"body-value"}',
      env: { REMOTE_ADDR: '127.0.0.1' },
    },
    tags: { app: 'probe-app' },
    extra: { parameters: ['param-value'], note: 'header was Bearer key-two' },
    breadcrumbs: [
      { category: 'http', data: { url: 'http://hooks.example/in?sig=s1', 'http.query': 'sig=s1' } },
      { category: 'console', message: `created ${SECRET}` },
    ],
  };
}

describe('Sentry scrubbing', () => {
  it('keeps of the request only its method and its URL without the query', () => {
    expect(scrubEvent(reportedError()).request).toEqual({ method: 'POST', url: 'http://127.0.0.1:3000/probe/boom' });
  });

  it('leaves no header, cookie, body, query string, SQL parameter, API key or webhook secret anywhere', () => {
    const written = JSON.stringify(scrubEvent(reportedError()));
    for (const leaked of ['key-one', 'key-two', 'session=abc', 'body-value', 'secret123', 't0k', 'param-value', 's1']) {
      expect(written).not.toContain(leaked);
    }
    expect(written).not.toContain('whsec_');
  });

  it('keeps what makes the event useful: its message, exception, tags and breadcrumbs', () => {
    const event = scrubEvent(reportedError());
    expect(event.message).toBe('could not sign with [redacted]');
    expect(event.exception?.values?.[0].value).toBe('failed on GET /probe/boom');
    expect(event.tags).toEqual({ app: 'probe-app' });
    expect(event.extra).toEqual({ note: 'header was Bearer [redacted]' });
    expect(event.breadcrumbs?.[0]).toEqual({ category: 'http', data: { url: 'http://hooks.example/in' } });
  });

  it('scrubs transactions: span data loses queries and SQL parameters', () => {
    const transaction: Event = {
      type: 'transaction',
      transaction: 'GET /accounts',
      request: { url: '/accounts?api_key=secret123', headers: { cookie: 'session=abc' } },
      spans: [
        {
          span_id: 's',
          trace_id: 't',
          start_timestamp: 0,
          data: { 'url.query': '?api_key=secret123', 'db.parameters': '[1]', 'db.statement': 'SELECT $1' },
        },
      ],
    };
    const scrubbed = scrubEvent(transaction);
    expect(scrubbed.request).toEqual({ url: '/accounts' });
    expect(scrubbed.spans?.[0].data).toEqual({ 'db.statement': 'SELECT $1' });
  });

  it('scrubs breadcrumbs on their own', () => {
    expect(
      scrubBreadcrumb({
        category: 'http',
        message: `POST https://hooks.example/a?token=x1 ${SECRET}`,
        data: { url: 'https://hooks.example/a?token=x1' },
      }),
    ).toEqual({
      category: 'http',
      message: 'POST https://hooks.example/a [redacted]',
      data: { url: 'https://hooks.example/a' },
    });
  });

  it('survives cycles and keeps a value that appears twice', () => {
    const shared = { id: 'x' };
    const extra: Record<string, unknown> = { a: shared, b: shared };
    extra.self = extra;
    const scrubbed = scrubEvent({ type: undefined, extra });
    expect(scrubbed.extra).toEqual({ a: { id: 'x' }, b: { id: 'x' }, self: '[redacted]' });
  });

  it('leaves text without secrets as it was', () => {
    expect(scrubString('what is this? nothing secret')).toBe('what is this? nothing secret');
  });
});
