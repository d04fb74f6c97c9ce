import { CloudEvent } from 'cloudevents';
import { buildEnvelope, EVENT_SOURCES, InvalidEnvelopeError, parseEnvelope } from './event-envelope';

describe('buildEnvelope', () => {
  it('builds a CloudEvents 1.0 structured envelope the SDK accepts', () => {
    const envelope = buildEnvelope({
      source: EVENT_SOURCES.transactions,
      type: 'transaction.created',
      subject: '7f1f3c5e-3f57-4c48-9d8f-9c0d1f6a2b10',
      data: { amount: '1050' },
    });
    expect(envelope).toMatchObject({
      specversion: '1.0',
      source: '/transactions',
      type: 'transaction.created',
      datacontenttype: 'application/json',
      data: { amount: '1050' },
    });
    expect(envelope.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(envelope.time).toISOString()).toBe(envelope.time);
    expect(new CloudEvent(envelope, true).validate()).toBe(true);
  });

  it('keeps given ids, times and extensions', () => {
    const envelope = buildEnvelope({
      id: '2d3b7f40-0c36-4e0c-8a8f-4a1d5f3b9e11',
      time: new Date('2026-01-02T03:04:05.000Z'),
      source: EVENT_SOURCES.adEngine,
      type: 'campaign.paused',
      subject: 'c1',
      data: {},
      extensions: { sequence: '42' },
    });
    expect(envelope.id).toBe('2d3b7f40-0c36-4e0c-8a8f-4a1d5f3b9e11');
    expect(envelope.time).toBe('2026-01-02T03:04:05.000Z');
    expect(envelope.sequence).toBe('42');
  });
});

describe('parseEnvelope', () => {
  const valid = {
    specversion: '1.0',
    id: 'e1',
    source: '/elsewhere',
    type: 'thing.happened',
    datacontenttype: 'application/json',
    data: { a: 1 },
  };

  it('accepts an envelope from any publisher that follows the contract', () => {
    expect(parseEnvelope(Buffer.from(JSON.stringify(valid)))).toEqual(valid);
  });

  it.each([
    ['{not json', 'not valid JSON'],
    ['[1,2]', 'not a JSON object'],
    [JSON.stringify({ ...valid, specversion: '0.3' }), 'specversion'],
    [JSON.stringify({ ...valid, id: undefined }), 'id must be'],
    [JSON.stringify({ ...valid, time: 'yesterday' }), 'not a valid CloudEvent'],
    [JSON.stringify({ ...valid, type: '' }), 'type must be'],
    [JSON.stringify({ ...valid, datacontenttype: 'text/plain' }), 'not JSON'],
  ])('refuses %s', (body, reason) => {
    expect(() => parseEnvelope(body)).toThrow(InvalidEnvelopeError);
    expect(() => parseEnvelope(body)).toThrow(reason);
  });
});
