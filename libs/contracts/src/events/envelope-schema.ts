/** JSON Schema of the CloudEvents 1.0 structured envelope this platform sends, around `data`. */
export function envelopeSchema(type: string, source: string, dataSchema: Record<string, unknown>) {
  return {
    type: 'object',
    required: ['specversion', 'id', 'source', 'type', 'subject', 'time', 'datacontenttype', 'data'],
    properties: {
      specversion: { const: '1.0' },
      id: { type: 'string', format: 'uuid' },
      source: { const: source },
      type: { const: type },
      subject: { type: 'string' },
      time: { type: 'string', format: 'date-time' },
      datacontenttype: { const: 'application/json' },
      sequence: { type: 'string', pattern: '^[0-9]+$', description: 'CloudEvents sequence extension: publish order' },
      traceparent: { type: 'string', description: 'W3C trace context, when a trace was active' },
      data: dataSchema,
    },
  };
}
