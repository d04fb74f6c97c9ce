import { ValidateBy, ValidationOptions } from 'class-validator';

/** What is wrong with one item of an array ("must be ..."), or undefined when it is fine. */
export type ItemProblem = (item: unknown) => string | undefined;

/** The key under which the rule leaves its ItemProblem in class-validator's error context. */
export const ITEM_PROBLEM_CONTEXT = 'itemProblem';

/**
 * An array rule whose failures name the items at fault: `errors: [{ field: "eventTypes[3]", ... }]`
 * instead of one error on the whole array that leaves the client to find which item broke it.
 * class-validator only reports the property, so the rule hands its `problemOf` to the validation
 * pipe through the error's context, and the pipe (toFieldErrors) asks it about each item again.
 * Whether the value is an array at all is left to `@IsArray()`.
 */
export const ValidateEachItem = (name: string, problemOf: ItemProblem, options?: ValidationOptions) =>
  ValidateBy(
    {
      name,
      validator: {
        validate: (value) => !Array.isArray(value) || value.every((item) => problemOf(item) === undefined),
        defaultMessage: (args) => `every item of ${args?.property ?? 'the list'} must be valid`,
      },
    },
    { ...options, context: { ...options?.context, [ITEM_PROBLEM_CONTEXT]: problemOf } },
  );

/** The `field[index]` errors of an array that broke a ValidateEachItem rule. */
export function itemFieldErrors(field: string, value: unknown, problemOf: ItemProblem) {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown, index) => {
    const problem = problemOf(item);
    return problem === undefined ? [] : [{ field: `${field}[${index}]`, message: `${field}[${index}] ${problem}` }];
  });
}
