import { initialisedSentry } from './sentry';

/** What went wrong, as the `kind` tag of its Sentry event. */
export type ProblemKind = 'http-5xx' | 'dead-letter' | 'background-task';

export interface Problem {
  kind: ProblemKind;
  /** The error, when there is one: its stack is kept. */
  error?: unknown;
  /** The event's message when there is no error (a malformed message has none). */
  message: string;
  /** Searchable tags (queue, event id, reason, task); unset ones are left out. */
  tags?: Record<string, string | undefined>;
  /** Groups events into one Sentry issue, e.g. one per queue and reason instead of one per message. */
  fingerprint?: string[];
}

/**
 * The one way the platform reports a problem to Sentry (CONTRACT.md section 9: every 5xx, every
 * dead-lettered message, every failed background task). Libraries call this instead of the SDK,
 * so the SDK is set up and scrubbed in one place (see initSentry); with no SENTRY_DSN it does
 * nothing. The app's tag is added by initSentry to every event.
 */
export function reportProblem(problem: Problem): void {
  const Sentry = initialisedSentry();
  if (!Sentry) return;
  Sentry.withScope((scope) => {
    scope.setTag('kind', problem.kind);
    for (const [name, value] of Object.entries(problem.tags ?? {})) {
      if (value !== undefined) scope.setTag(name, value);
    }
    if (problem.fingerprint) scope.setFingerprint(problem.fingerprint);
    if (problem.error instanceof Error) {
      scope.setExtra('context', problem.message);
      Sentry.captureException(problem.error);
    } else {
      Sentry.captureMessage(problem.message, 'error');
    }
  });
}

/** A background loop's run failed (it will try again): reported with the task's name. */
export function reportTaskFailure(task: string, error: unknown): void {
  reportProblem({
    kind: 'background-task',
    error,
    message: `background task ${task} failed: ${(error as Error)?.message ?? String(error)}`,
    tags: { task },
  });
}
