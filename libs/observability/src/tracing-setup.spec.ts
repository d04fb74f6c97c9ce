let mockTraceSdkLoaded = false;
jest.mock('@opentelemetry/sdk-trace-base', () => {
  mockTraceSdkLoaded = true;
  return jest.requireActual('@opentelemetry/sdk-trace-base');
});
jest.mock('@opentelemetry/exporter-trace-otlp-http', () => {
  mockTraceSdkLoaded = true;
  return jest.requireActual('@opentelemetry/exporter-trace-otlp-http');
});

const PARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('tracing without an OTLP endpoint or a Sentry DSN', () => {
  it('loads no SDK and records no span, yet the trace context still travels', async () => {
    // Imported here, not above: an import would be hoisted over the flag the mocks set.
    const { currentTraceparent, inConsumerSpan, inProducerSpan, initTracing, spansRecorded } = await import('./index');
    const { trace } = await import('@opentelemetry/api');

    expect(initTracing('app', { NODE_ENV: 'production' })).toBe('off');
    expect(spansRecorded()).toBe(false);
    await inConsumerSpan('queue', { destination: 'exchange', traceparent: PARENT }, async () => {
      // The no-op tracer's span: not recorded, carrying the message's own context onwards.
      expect(trace.getActiveSpan()?.isRecording()).toBe(false);
      expect(currentTraceparent()).toBe(PARENT);
      await inProducerSpan({ destination: 'exchange' }, async () => expect(currentTraceparent()).toBe(PARENT));
    });
    await inConsumerSpan('queue', { destination: 'exchange' }, async () =>
      expect(currentTraceparent()).toBeUndefined(),
    );

    expect(mockTraceSdkLoaded).toBe(false);
  });
});

describe('otlpTracesUrl', () => {
  it.each([
    [{}, undefined],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: '' }, undefined],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318' }, 'http://jaeger:4318/v1/traces'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318/' }, 'http://jaeger:4318/v1/traces'],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://tempo:4318/traces' }, 'http://tempo:4318/traces'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318', OTEL_SDK_DISABLED: 'true' }, undefined],
  ])('%j -> %s', async (env, url) => {
    const { otlpTracesUrl } = await import('./tracing-setup');
    expect(otlpTracesUrl(env)).toBe(url);
  });
});

// A module, not a script: its names stay its own.
export {};
