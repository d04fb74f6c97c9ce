import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { EventEnvelope } from '../event-envelope';
import { EVENT_CATALOGUE, EVENT_TYPES } from './event-catalogue';
import { envelopeSchema } from './envelope-schema';

/** Why a consumed event was refused (CONTRACT.md section 9), as the dead-letter reason names it. */
export type EventRejectionReason = 'too-large' | 'invalid-envelope' | 'schema-violation';

export interface EventRejection {
  reason: EventRejectionReason;
  /** What exactly is wrong, for the operator reading the dead-letter queue. */
  detail: string;
}

/** Checks a parsed CloudEvent against the schema of its `type`. */
export interface EventSchemaCheck {
  /** Why `envelope` breaks the schema of its type (or has none), or undefined when it is valid. */
  check(envelope: EventEnvelope): EventRejection | undefined;
}

export interface EventSchemaDefinition {
  type: string;
  source: string;
  dataSchema: Record<string, unknown>;
}

/**
 * One compiled ajv validator per event type, built once: consumers run it on every message.
 * A mistake in `data` is a `schema-violation`; one in the envelope around it (an id that is not
 * a UUID, the wrong `source` for the type, no `subject`) is an `invalid-envelope`. A type with no
 * schema is a `schema-violation`: its data cannot match the schema of its type (section 9).
 */
export class EventSchemaValidator implements EventSchemaCheck {
  private readonly validators: ReadonlyMap<string, ValidateFunction>;

  constructor(definitions: readonly EventSchemaDefinition[]) {
    // allErrors off: the first problem is enough to refuse a message, and cheaper to find.
    const ajv = addFormats(new Ajv2020({ strict: false, allErrors: false }), ['uuid', 'date-time', 'uri']);
    this.validators = new Map(
      definitions.map(({ type, source, dataSchema }) => [type, ajv.compile(envelopeSchema(type, source, dataSchema))]),
    );
  }

  check(envelope: EventEnvelope): EventRejection | undefined {
    const validate = this.validators.get(envelope.type);
    if (!validate) {
      return { reason: 'schema-violation', detail: `no schema for event type ${JSON.stringify(envelope.type)}` };
    }
    if (validate(envelope)) return undefined;
    const [error] = validate.errors ?? [];
    const path = error?.instancePath ?? '';
    const where = path === '' ? 'the envelope' : path.slice(1).replaceAll('/', '.');
    const detail = `${where} ${error?.message ?? 'is not valid'}`;
    return { reason: path === '/data' || path.startsWith('/data/') ? 'schema-violation' : 'invalid-envelope', detail };
  }
}

let brokerEvents: EventSchemaValidator | undefined;

/**
 * The validator of every event the platform publishes on RabbitMQ, from the event catalogue
 * (compiled on first use). `webhook.test` is not one of them: it only ever goes to a webhook.
 */
export function brokerEventValidator(): EventSchemaValidator {
  brokerEvents ??= new EventSchemaValidator(
    EVENT_TYPES.map((type) => EVENT_CATALOGUE[type]).filter((definition) => definition.onBroker),
  );
  return brokerEvents;
}
