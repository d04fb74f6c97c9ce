/**
 * What kind of failure an error is, in terms any caller understands. Every error type is of one
 * kind, and the HTTP layer answers each kind with one status (STATUS_BY_KIND in @app/http): a
 * new kind that has no status there does not compile.
 */
export type ErrorKind =
  /** The request is malformed or fails validation. */
  | 'invalid'
  /** No valid credentials. */
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  /** The resource exists, the operation on it does not. */
  | 'method-not-allowed'
  /** The current state does not allow it (it may later). */
  | 'conflict'
  | 'too-large'
  | 'unsupported-media-type'
  /** Well-formed, but a business rule refuses it. */
  | 'rule-violated'
  | 'rate-limited'
  /** A failure of ours, not the caller's. */
  | 'internal'
  | 'unavailable';
