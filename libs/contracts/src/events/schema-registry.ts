import { EVENT_CATALOGUE, EVENT_TYPES } from './event-catalogue';
import type { EventType } from './event-data';
import { envelopeSchema } from './envelope-schema';

/**
 * The version of every event type's schema. Adding an optional field keeps it; a change that can
 * break a reader (a field removed, renamed or retyped) is a new type or a new version, announced
 * in the changelog.
 */
export const EVENT_SCHEMA_VERSION = '1';

export interface EventSchemaSummary {
  type: EventType;
  version: string;
  source: string;
}

/** Every event type of the platform, as `GET /schemas` lists them (CONTRACT.md section 8). */
export function eventSchemaSummaries(): EventSchemaSummary[] {
  return EVENT_TYPES.map((type) => ({ type, version: EVENT_SCHEMA_VERSION, source: EVENT_CATALOGUE[type].source }));
}

/**
 * The JSON Schema (draft 2020-12) of a whole envelope of `type`, `data` included: the same schema
 * consumers check every message against and producers' tests check what they publish against.
 * Undefined for a type the platform does not have.
 */
export function eventJsonSchema(type: string): Record<string, unknown> | undefined {
  if (!Object.hasOwn(EVENT_CATALOGUE, type)) return undefined;
  const definition = EVENT_CATALOGUE[type as EventType];
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `urn:transaction-events-platform:schemas:${type}:${EVENT_SCHEMA_VERSION}`,
    title: type,
    description: definition.summary,
    ...envelopeSchema(definition.type, definition.source, definition.dataSchema),
  };
}
