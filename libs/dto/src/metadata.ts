import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { ValidateBy, ValidationOptions } from 'class-validator';
import { IsOptionalNotNull } from './optional-not-null';

export const METADATA_LIMITS = { keys: 20, keyLength: 40, valueLength: 500 } as const;

/** Why `value` is not acceptable metadata, or undefined when it is. */
export function metadataProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be an object of strings';
  const entries = Object.entries(value);
  if (entries.length > METADATA_LIMITS.keys) return `must have at most ${METADATA_LIMITS.keys} keys`;
  for (const [key, item] of entries) {
    if (key.length === 0 || key.length > METADATA_LIMITS.keyLength) {
      return `keys must be 1 to ${METADATA_LIMITS.keyLength} characters`;
    }
    if (typeof item !== 'string') return `value of "${key}" must be a string`;
    if (item.length > METADATA_LIMITS.valueLength) {
      return `value of "${key}" must be at most ${METADATA_LIMITS.valueLength} characters`;
    }
  }
  return undefined;
}

/** Stripe-style metadata: at most 20 string keys with string values of at most 500 characters. */
export const IsMetadata = (options?: ValidationOptions) =>
  applyDecorators(
    ApiPropertyOptional({
      type: 'object',
      additionalProperties: { type: 'string', maxLength: METADATA_LIMITS.valueLength },
      maxProperties: METADATA_LIMITS.keys,
      example: { orderId: 'A-1001' },
    }),
    IsOptionalNotNull(),
    ValidateBy(
      {
        name: 'isMetadata',
        validator: {
          validate: (value) => metadataProblem(value) === undefined,
          defaultMessage: (args) => `${args?.property ?? 'metadata'} ${metadataProblem(args?.value) ?? 'is not valid'}`,
        },
      },
      options,
    ),
  );
