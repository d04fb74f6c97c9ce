import { EXCHANGES } from '../exchanges';
import { openApiEnvelopeSchema, toOpenApi30 } from './openapi-envelope-schema';

describe('toOpenApi30', () => {
  it('writes const as a one-value enum and a type list with null as nullable', () => {
    expect(toOpenApi30({ const: '1.0' })).toEqual({ enum: ['1.0'] });
    expect(toOpenApi30({ type: ['string', 'null'], maxLength: 500 })).toEqual({
      type: 'string',
      nullable: true,
      maxLength: 500,
    });
  });

  it('drops keywords OpenAPI 3.0 does not have, in nested schemas too, but keeps properties of any name', () => {
    const converted = toOpenApi30({
      type: 'object',
      properties: { const: { type: 'string' }, nested: { type: 'object', propertyNames: { maxLength: 40 } } },
      additionalProperties: { type: 'string', $comment: 'x' },
    });
    expect(converted).toEqual({
      type: 'object',
      properties: { const: { type: 'string' }, nested: { type: 'object' } },
      additionalProperties: { type: 'string' },
    });
  });

  it('refuses a type list it cannot express', () => {
    expect(() => toOpenApi30({ type: ['string', 'integer'] })).toThrow(/string, integer/);
  });
});

describe('openApiEnvelopeSchema', () => {
  it("offers one envelope per event the exchange's producer publishes, with its type fixed", () => {
    const schema = openApiEnvelopeSchema(EXCHANGES.transactions) as {
      oneOf: { title: string; properties: { type: { enum: string[] } } }[];
    };
    expect(schema.oneOf.map(({ title }) => title).sort()).toEqual([
      'account.balance_updated',
      'account.created',
      'transaction.created',
      'transaction.updated',
    ]);
    for (const envelope of schema.oneOf) expect(envelope.properties.type.enum).toEqual([envelope.title]);
    expect(JSON.stringify(schema)).not.toMatch(/"const"|"propertyNames"|\["string","null"\]/);
  });
});
