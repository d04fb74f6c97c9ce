/**
 * A dependency the app cannot start without (database, broker) was unreachable or refused us.
 * The message is one line for the operator and never carries credentials.
 */
export class StartupError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'StartupError';
  }
}

/** The URL as it is safe to print: credentials dropped. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
