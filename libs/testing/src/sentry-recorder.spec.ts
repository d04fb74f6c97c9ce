import { parseEnvelope } from './sentry-recorder';

describe('parseEnvelope', () => {
  it('reads items with and without a length, a payload holding a newline included', () => {
    // Valid JSON with a raw newline in it: only the length tells where it ends.
    const event = JSON.stringify({ message: 'hello', level: 'error' }, null, 2);
    const envelope = [
      JSON.stringify({ event_id: 'e1', dsn: 'http://publickey@127.0.0.1:1/1' }),
      JSON.stringify({ type: 'event', length: Buffer.byteLength(event) }),
      event,
      JSON.stringify({ type: 'session' }),
      JSON.stringify({ status: 'ok', note: 'é' }),
    ].join('\n');
    expect(parseEnvelope(envelope)).toEqual([
      { type: 'event', payload: { message: 'hello', level: 'error' } },
      { type: 'session', payload: { status: 'ok', note: 'é' } },
    ]);
  });

  it('reads an envelope with no items', () => {
    expect(parseEnvelope('{"event_id":"e1"}\n')).toEqual([]);
  });
});
