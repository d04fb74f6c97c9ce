import {
  brokerEventValidator,
  buildEnvelope,
  EVENT_CATALOGUE,
  EventDataByType,
  EventEnvelope,
  EventType,
} from '@app/contracts';
import { randomUUID } from 'node:crypto';

/** The id fields of the catalogue's examples: each built event gets fresh ones. */
const ID_FIELDS = ['id', 'accountId', 'transactionId', 'webhookId'] as const;

/**
 * A valid event of `type`, as its producer would publish it: the catalogue's example with fresh
 * ids, `data` merged over it, and `subject` the entity id (the `id`, else the `accountId`).
 */
export function catalogueEvent<T extends EventType>(
  type: T,
  data: Partial<EventDataByType[T]> = {},
): EventEnvelope<EventDataByType[T]> {
  const definition = EVENT_CATALOGUE[type];
  const fresh = Object.fromEntries(
    ID_FIELDS.filter((field) => field in definition.example).map((field) => [field, randomUUID()]),
  );
  const merged = { ...definition.example, ...fresh, ...data } as EventDataByType[T] & {
    id?: string;
    accountId?: string;
  };
  return buildEnvelope({
    source: definition.source,
    type,
    subject: merged.id ?? merged.accountId ?? randomUUID(),
    data: merged,
  });
}

/**
 * Asserts that an event a producer published matches the event catalogue: the very check every
 * consumer makes before it applies an event (a failure here would be a dead-lettered message there).
 */
export function expectCatalogueEvent(event: unknown): void {
  expect({ id: (event as EventEnvelope).id, rejection: brokerEventValidator().check(event as EventEnvelope) }).toEqual({
    id: (event as EventEnvelope).id,
    rejection: undefined,
  });
}
