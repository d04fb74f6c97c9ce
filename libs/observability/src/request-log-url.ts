const MASK = '[redacted]';

/**
 * A request's URL as logs show it: the path as sent, and of the query string only the names of
 * its parameters, every value masked (`/accounts?api_key=[redacted]&limit=[redacted]`).
 *
 * Why every value and not only credentials: clients put API keys and tokens under any name
 * (`api_key`, `apikey`, `access_token`, `sig`...), and a list of names to mask lets through the
 * one nobody thought of, verbatim on every line of an attack. Why not the route pattern: the
 * traffic worth reading (probes, 404s) matches no route, and the path's ids are not secrets
 * (credentials go in the Authorization header, which is redacted). The names alone still show
 * what a client tried.
 */
export function requestLogUrl(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart < 0) return url;
  const names = [...new URLSearchParams(url.slice(queryStart + 1)).keys()];
  const path = url.slice(0, queryStart);
  if (names.length === 0) return path;
  return `${path}?${names.map((name) => `${encodeURIComponent(name)}=${MASK}`).join('&')}`;
}

/**
 * pino-http's `req` serializer on top of the standard one: the URL as above, and without the
 * parsed `query` the standard serializer copies from Express (the same values again).
 */
export function serializeRequestForLog<R extends { url?: string; query?: unknown }>(request: R): Omit<R, 'query'> {
  const { query: _query, ...rest } = request;
  return rest.url === undefined ? rest : { ...rest, url: requestLogUrl(rest.url) };
}
