import pino from 'pino';
import { Writable } from 'node:stream';
import { REDACTED_PATHS } from './logging.module';

/** A pino logger with the app's redaction, writing its lines into `lines`. */
function capturingLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { lines, logger: pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink) };
}

describe('log redaction', () => {
  it('keeps credentials in headers out of request logs', () => {
    const { lines, logger } = capturingLogger();
    logger.info({ req: { headers: { authorization: 'Bearer key-one', 'x-api-key': 'key-two' } } }, 'request');
    expect(lines.join('')).not.toMatch(/key-one|key-two/);
  });

  it('keeps webhook secrets out, also among the values of a failed query', () => {
    const { lines, logger } = capturingLogger();
    const failed = Object.assign(new Error('null value in column "enabled"'), {
      query: 'UPDATE notifications.endpoints SET secret = $1',
      parameters: ['whsec_c2VjcmV0LXZhbHVlLWZvci10ZXN0'],
    });
    logger.error({ err: failed, requestId: 'r-1' }, 'unhandled error');
    logger.info({ endpoint: { id: 'e-1', secret: 'whsec_b3RoZXItc2VjcmV0LXZhbHVl' } }, 'created');
    const written = lines.join('');
    expect(written).not.toContain('whsec_');
    expect(written).toContain('null value in column');
  });
});
