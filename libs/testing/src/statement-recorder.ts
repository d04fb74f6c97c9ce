import { Client } from 'pg';

export interface RecordedStatement {
  text: string;
  /** The `application_name` of the connection that sent it (the relay's ends in `-outbox-relay`). */
  applicationName: string;
}

type Query = (...args: unknown[]) => unknown;

/**
 * Records every statement that `pg` clients in this process send to PostgreSQL, as they go out
 * (TypeORM's pool and the outbox relay's connection alike), so a test can count the round trips
 * a piece of work costs. Nothing is changed on the way: each statement still runs.
 */
export class StatementRecorder {
  readonly statements: RecordedStatement[] = [];
  private readonly original = Client.prototype.query as unknown as Query;

  private constructor() {
    const { statements, original } = this;
    (Client.prototype as unknown as { query: Query }).query = function (this: Client, ...args: unknown[]) {
      const [first] = args;
      const text = typeof first === 'string' ? first : ((first as { text?: string } | undefined)?.text ?? '');
      const applicationName =
        (this as unknown as { connectionParameters?: { application_name?: string } }).connectionParameters
          ?.application_name ?? '';
      statements.push({ text, applicationName });
      return original.apply(this, args);
    };
  }

  static start(): StatementRecorder {
    return new StatementRecorder();
  }

  /** Statements whose text matches `pattern` (and, if given, whose connection matches `from`). */
  matching(pattern: RegExp, from?: RegExp): RecordedStatement[] {
    return this.statements.filter(
      (statement) => pattern.test(statement.text) && (from === undefined || from.test(statement.applicationName)),
    );
  }

  stop(): void {
    (Client.prototype as unknown as { query: Query }).query = this.original;
  }
}
