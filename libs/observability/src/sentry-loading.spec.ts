let mockSdkLoaded = false;
jest.mock('@sentry/nestjs', () => {
  mockSdkLoaded = true;
  return jest.requireActual('@sentry/nestjs');
});

describe('Sentry without a DSN', () => {
  it('is never loaded: neither set up nor reporting brings the SDK (about 20 MiB) into memory', async () => {
    // Imported here, not above: an import would be hoisted over the flag the mock sets.
    const { initSentry, reportProblem } = await import('./index');

    expect(initSentry('app', { NODE_ENV: 'production' })).toBe(false);
    reportProblem({ kind: 'background-task', error: new Error('lost'), message: 'lost' });
    reportProblem({ kind: 'dead-letter', message: 'malformed' });

    expect(mockSdkLoaded).toBe(false);
  });
});
