import type { ExchangeName } from '../exchanges';
import { EVENT_CATALOGUE, EVENT_TYPES } from './event-catalogue';
import { envelopeSchema } from './envelope-schema';

/**
 * The envelopes of every event published to `exchange`, one of them per type, as a schema the
 * OpenAPI 3.0 document of a producer can hold (its GET /events items).
 */
export function openApiEnvelopeSchema(exchange: ExchangeName): Record<string, unknown> {
  const published = EVENT_TYPES.map((type) => EVENT_CATALOGUE[type]).filter(
    (event) => event.onBroker && event.exchange === exchange,
  );
  return {
    oneOf: published.map((event) => ({
      title: event.type,
      ...(toOpenApi30(envelopeSchema(event.type, event.source, event.dataSchema)) as object),
    })),
  };
}

/** The keywords an OpenAPI 3.0 Schema Object has (its section 4.7.24); it allows no others. */
const OPENAPI_30_KEYWORDS = new Set([
  'title',
  'description',
  'type',
  'format',
  'enum',
  'nullable',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'multipleOf',
  'items',
  'minItems',
  'maxItems',
  'uniqueItems',
  'properties',
  'required',
  'additionalProperties',
  'minProperties',
  'maxProperties',
  'allOf',
  'oneOf',
  'anyOf',
  'not',
  'default',
  'example',
  'readOnly',
  'writeOnly',
  'deprecated',
]);

/**
 * A JSON Schema (2020-12) rewritten in the dialect of OpenAPI 3.0, which Nest's document is in:
 * it has no `const` (a one-value `enum` says the same), no type lists (`nullable` says "or
 * null"), and none of the keywords it lacks (`propertyNames`: such a check stays the event
 * validator's, the document says less than it enforces rather than something invalid).
 */
export function toOpenApi30(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toOpenApi30);
  if (schema === null || typeof schema !== 'object') return schema;
  const converted: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (keyword === 'const') {
      converted.enum = [value];
    } else if (keyword === 'type' && Array.isArray(value)) {
      const types = value.filter((type) => type !== 'null');
      if (types.length !== 1) throw new Error(`OpenAPI 3.0 has no schema of types ${value.join(', ')}`);
      converted.type = types[0];
      if (types.length < value.length) converted.nullable = true;
    } else if (keyword === 'properties' && value && typeof value === 'object') {
      // Property names are not keywords: a property called `const` stays as it is.
      converted.properties = Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([name, property]) => [name, toOpenApi30(property)]),
      );
    } else if (OPENAPI_30_KEYWORDS.has(keyword)) {
      converted[keyword] = toOpenApi30(value);
    }
  }
  return converted;
}
