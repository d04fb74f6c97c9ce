import { ERROR_CATALOGUE, ErrorCode, problemTypeUri } from './error-catalogue';
import type { FieldError } from './domain-error';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** An RFC 9457 problem details body. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
}

export function problemFor(code: ErrorCode, detail: string, errors?: FieldError[]): ProblemDetails {
  const { status, title } = ERROR_CATALOGUE[code];
  return { type: problemTypeUri(code), title, status, detail, ...(errors ? { errors } : {}) };
}
