import { IsOptionalNotNull } from '@app/dto';
import { eventPatternProblems, isTopicPattern, TOPIC_PATTERN, TOPIC_PATTERN_MAX_LENGTH } from '@app/contracts';
import { ValidateEachItem, ValidateParts } from '@app/http';
import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsString, Matches, MaxLength } from 'class-validator';
import { ORDERINGS } from './endpoint.view';

/** Limits on a webhook endpoint's fields (CONTRACT.md sections 3 and 9). */
export const ENDPOINT_LIMITS = { urlLength: 2048, eventTypes: 100, descriptionLength: 500 } as const;

/**
 * No whitespace (Unicode's too) and no control characters anywhere in a URL. The URL parser
 * strips tabs and newlines and trims spaces, so `https://a.example/x\ny` would be stored as sent
 * yet delivered to another URL than the one shown; a space in a URL is never what was meant.
 */
const NO_SPACE_OR_CONTROL = /^[^\s\p{Cc}]*$/u;

/** What is wrong with one `eventTypes` item, or undefined. */
export function topicPatternProblem(item: unknown): string | undefined {
  if (typeof item !== 'string') return 'must be a string';
  if (item.length > TOPIC_PATTERN_MAX_LENGTH) return `must be at most ${TOPIC_PATTERN_MAX_LENGTH} characters`;
  if (!isTopicPattern(item)) {
    return 'must be a topic pattern: words of a-z, 0-9, _ or -, or * (one word) or # (any words), separated by dots, such as transaction.* or #';
  }
  return undefined;
}

/** The `url` rules shared by create and update; the target itself is checked by target-policy. */
export const IsWebhookUrl = () =>
  applyDecorators(
    IsString(),
    MaxLength(ENDPOINT_LIMITS.urlLength),
    Matches(NO_SPACE_OR_CONTROL, { message: 'url must not contain whitespace or control characters' }),
  );

/** `eventTypes`: 1 to 100 topic patterns, each checked (and reported) on its own. */
export const IsEventTypes = (documentation: Pick<ApiPropertyOptions, 'description'>) =>
  applyDecorators(
    ApiPropertyOptional({
      ...documentation,
      type: String,
      isArray: true,
      minItems: 1,
      maxItems: ENDPOINT_LIMITS.eventTypes,
      items: { type: 'string', maxLength: TOPIC_PATTERN_MAX_LENGTH, pattern: TOPIC_PATTERN.source },
      example: ['transaction.*'],
    }),
    IsOptionalNotNull(),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(ENDPOINT_LIMITS.eventTypes),
    ValidateEachItem('isTopicPattern', topicPatternProblem),
  );

/** `ordering` (CONTRACT.md section 8): `none` or `subject`. */
export const IsOrdering = () =>
  applyDecorators(
    ApiPropertyOptional({
      enum: ORDERINGS,
      default: 'none',
      description: 'subject: events with the same subject go out one at a time, in publish order',
    }),
    IsOptionalNotNull(),
    IsIn(ORDERINGS, { message: `ordering must be one of ${ORDERINGS.join(', ')}` }),
  );

/** `description`, the same on webhooks and subscriptions. */
export const IsTargetDescription = (documentation: Pick<ApiPropertyOptions, 'description'> = {}) =>
  applyDecorators(
    ApiPropertyOptional({ ...documentation, maxLength: ENDPOINT_LIMITS.descriptionLength }),
    IsOptionalNotNull(),
    IsString(),
    MaxLength(ENDPOINT_LIMITS.descriptionLength),
  );

/**
 * `filter`: an EventBridge-style event pattern over the envelope (CONTRACT.md section 8; the rules
 * are EventPattern's in libs/contracts). Each problem is its own error at the path of the part at
 * fault (`filter.data.amount[0].numeric`); null and patterns over 4 KiB are refused.
 */
export const IsEventPattern = (documentation: Pick<ApiPropertyOptions, 'description'>) =>
  applyDecorators(
    ApiPropertyOptional({
      ...documentation,
      type: 'object',
      additionalProperties: true,
      example: {
        type: [{ prefix: 'transaction.' }],
        data: { currency: ['EUR'], amount: [{ numeric: ['>=', 100000] }] },
      },
    }),
    IsOptionalNotNull(),
    ValidateParts('isEventPattern', eventPatternProblems),
  );

export const FILTER_DESCRIPTION =
  'EventBridge-style event pattern over the envelope (at most 4 KiB); missing: no content filter.';
/** null is refused (section 3); a pattern every envelope matches stands for "no filter". */
export const FILTER_RESET = 'To match every event again: {"id": [{"exists": true}]}.';
