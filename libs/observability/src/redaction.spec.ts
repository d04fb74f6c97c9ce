import pino from 'pino';
import { Writable } from 'node:stream';
import { REDACTED_PATHS } from './logging.module';
import { serializeRequestForLog } from './request-log-url';

/** A pino logger with the app's redaction, writing its lines into `lines`. */
function capturingLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return {
    lines,
    logger: pino(
      { redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, serializers: { req: serializeRequestForLog } },
      sink,
    ),
  };
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

  it('keeps credentials in the query string out of request logs, naming the parameters only', () => {
    const { lines, logger } = capturingLogger();
    // What pino-std-serializers makes of an Express request (`url` is `originalUrl`, `query` parsed).
    const req = {
      method: 'GET',
      url: '/probe/boom?api_key=secret123&token=tok-456',
      query: { api_key: 'secret123', token: 'tok-456' },
    };
    logger.info({ req }, 'request completed');
    const written = lines.join('');
    expect(written).not.toMatch(/secret123|tok-456/);
    expect(JSON.parse(written).req.url).toBe('/probe/boom?api_key=[redacted]&token=[redacted]');
  });
});
