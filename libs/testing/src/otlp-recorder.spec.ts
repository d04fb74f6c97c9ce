import { parseOtlpTraces } from './otlp-recorder';

describe('parseOtlpTraces', () => {
  it('reads spans with their service, hex ids, kind, attributes and status', () => {
    const spans = parseOtlpTraces({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'transactions' } }] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
                  spanId: '00f067aa0ba902b7',
                  name: 'POST /transactions',
                  kind: 2,
                  attributes: [
                    { key: 'http.response.status_code', value: { intValue: '201' } },
                    { key: 'http.route', value: { stringValue: '/transactions' } },
                    { key: 'sampled', value: { boolValue: true } },
                  ],
                },
                {
                  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
                  spanId: '1111111111111111',
                  parentSpanId: '00f067aa0ba902b7',
                  name: 'send transactions.events',
                  kind: 4,
                  status: { code: 2 },
                },
              ],
            },
          ],
        },
      ],
    });
    expect(spans).toEqual([
      {
        service: 'transactions',
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        spanId: '00f067aa0ba902b7',
        parentSpanId: '',
        name: 'POST /transactions',
        kind: 'server',
        attributes: { 'http.response.status_code': 201, 'http.route': '/transactions', sampled: true },
        statusCode: 0,
      },
      {
        service: 'transactions',
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        spanId: '1111111111111111',
        parentSpanId: '00f067aa0ba902b7',
        name: 'send transactions.events',
        kind: 'producer',
        attributes: {},
        statusCode: 2,
      },
    ]);
  });

  it('reads an export with no spans', () => {
    expect(parseOtlpTraces({})).toEqual([]);
    expect(parseOtlpTraces({ resourceSpans: [{ scopeSpans: [{}] }] })).toEqual([]);
  });
});
