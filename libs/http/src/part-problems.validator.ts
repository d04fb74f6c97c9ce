import { ValidateBy, ValidationOptions } from 'class-validator';
import type { FieldError } from '@app/errors';

/**
 * Something wrong inside a field's value, at `path` from the field: `''` for the value itself,
 * `[3]` for an item, `data.amount[0]` for a part nested in an object (the field's name and a dot
 * are put in front). `message` reads after the full path: "must be a string".
 */
export interface PartProblem {
  path: string;
  message: string;
}

export type PartProblems = (value: unknown) => PartProblem[];

/** The key under which the rule leaves its PartProblems in class-validator's error context. */
export const PART_PROBLEMS_CONTEXT = 'partProblems';

/**
 * A rule whose failures name the parts at fault: `errors: [{ field: "filter.data.amount[0].numeric",
 * ... }]` instead of one error on the whole field that leaves the client to find what broke it.
 * class-validator only reports the property, so the rule hands its `problemsOf` to the validation
 * pipe through the error's context, and the pipe (toFieldErrors) asks it about the value again.
 */
export const ValidateParts = (name: string, problemsOf: PartProblems, options?: ValidationOptions) =>
  ValidateBy(
    {
      name,
      validator: {
        validate: (value) => problemsOf(value).length === 0,
        defaultMessage: (args) => `${args?.property ?? 'the field'} must be valid`,
      },
    },
    { ...options, context: { ...options?.context, [PART_PROBLEMS_CONTEXT]: problemsOf } },
  );

const joinPath = (field: string, path: string): string =>
  path === '' ? field : path.startsWith('[') ? `${field}${path}` : `${field}.${path}`;

/** The errors, one per part at fault, of a value that broke a ValidateParts rule. */
export const partFieldErrors = (field: string, value: unknown, problemsOf: PartProblems): FieldError[] =>
  problemsOf(value).map(({ path, message }) => {
    const at = joinPath(field, path);
    return { field: at, message: `${at} ${message}` };
  });
