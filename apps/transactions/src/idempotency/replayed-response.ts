/**
 * Thrown to answer with a response stored earlier (an idempotent replay): the route's
 * ReplayedResponseFilter (see Idempotent) writes it back as it was, status and body, marked
 * `idempotent-replayed: true`.
 */
export class ReplayedResponse extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`replaying a stored ${status} response`);
    this.name = 'ReplayedResponse';
  }
}
