import { ValidationOptions } from 'class-validator';
import { PartProblem, ValidateParts } from './part-problems.validator';

/** What is wrong with one item of an array ("must be ..."), or undefined when it is fine. */
export type ItemProblem = (item: unknown) => string | undefined;

/**
 * An array rule whose failures name the items at fault: `errors: [{ field: "eventTypes[3]", ... }]`
 * instead of one error on the whole array that leaves the client to find which item broke it.
 * Whether the value is an array at all is left to `@IsArray()`.
 */
export const ValidateEachItem = (name: string, problemOf: ItemProblem, options?: ValidationOptions) =>
  ValidateParts(
    name,
    (value) =>
      !Array.isArray(value)
        ? []
        : value.flatMap((item: unknown, index): PartProblem[] => {
            const message = problemOf(item);
            return message === undefined ? [] : [{ path: `[${index}]`, message }];
          }),
    options,
  );
