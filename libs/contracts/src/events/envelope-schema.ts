import { UUID_SCHEMA } from './event-schemas';

/** JSON Schema of the CloudEvents 1.0 structured envelope this platform sends, around `data`. */
export function envelopeSchema(type: string, source: string, dataSchema: Record<string, unknown>) {
  return {
    type: 'object',
    required: ['specversion', 'id', 'source', 'type', 'subject', 'time', 'datacontenttype', 'data'],
    properties: {
      specversion: { const: '1.0' },
      id: UUID_SCHEMA,
      source: { const: source },
      type: { const: type },
      subject: { type: 'string', minLength: 1, maxLength: 255 },
      time: { type: 'string', format: 'date-time', maxLength: 40 },
      datacontenttype: { const: 'application/json' },
      sequence: {
        type: 'string',
        pattern: '^[0-9]{1,20}$',
        description: 'CloudEvents sequence extension: publish order',
      },
      traceparent: { type: 'string', maxLength: 512, description: 'W3C trace context, when a trace was active' },
      data: dataSchema,
    },
  };
}
