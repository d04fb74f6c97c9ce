import { AddressInfo, createServer } from 'node:net';
import { spawnApp, untilReady } from './app-process';
import { createTestEnvironment, TestEnvironment } from './test-environment';

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * What an operator sees when starting the real process: a bad setting or an unreachable
 * dependency ends it with exit code 1 and exactly one line on stderr, never a stack trace; a
 * good start answers ready, and SIGTERM ends it cleanly.
 */
export function describeProcessStartup(app: string, options: { checkDependencies?: boolean } = {}): void {
  describe(`${app} process start-up`, () => {
    let environment: TestEnvironment;

    beforeAll(async () => {
      environment = await createTestEnvironment();
    });

    afterAll(async () => {
      await environment?.teardown();
    });

    const expectOneLineFailure = async (env: Record<string, string>, expected: RegExp) => {
      const started = spawnApp(app, { ...environment.env, STARTUP_TIMEOUT_MS: '1500', ...env });
      expect(await started.exited).toBe(1);
      const lines = started.stderr().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(expected);
      expect(started.stderr() + started.stdout()).not.toMatch(/\n\s+at /);
    };

    it('refuses a malformed variable with one line naming it', async () => {
      await expectOneLineFailure(
        { DATABASE_URL: 'not-a-url' },
        new RegExp(`^${app}: invalid configuration: DATABASE_URL: expected a URL`),
      );
    });

    if (options.checkDependencies) {
      it('gives up on an unreachable PostgreSQL with one line naming DATABASE_URL', async () => {
        const port = await freePort();
        await expectOneLineFailure(
          { DATABASE_URL: `postgres://postgres:secret@127.0.0.1:${port}/postgres` },
          new RegExp(
            `^${app}: cannot start: DATABASE_URL: cannot connect to PostgreSQL at postgres://127\\.0\\.0\\.1:${port}/postgres .*ECONNREFUSED`,
          ),
        );
      });

      it('gives up on an unreachable RabbitMQ with one line naming RABBITMQ_URL', async () => {
        const port = await freePort();
        await expectOneLineFailure(
          { RABBITMQ_URL: `amqp://guest:secret@127.0.0.1:${port}` },
          new RegExp(
            `^${app}: cannot start: RABBITMQ_URL: cannot connect to RabbitMQ at amqp://127\\.0\\.0\\.1:${port}`,
          ),
        );
      });

      it('logs JSON lines: the address it listens on, the request id, the trace id, never the API key', async () => {
        const port = await freePort();
        const started = spawnApp(app, {
          ...environment.env,
          PORT: String(port),
          LOG_LEVEL: 'info',
          API_KEYS: 'secret-key-123',
        });
        try {
          await untilReady(port);
          const response = await fetch(`http://127.0.0.1:${port}/no-such-route`, {
            headers: {
              authorization: 'Bearer secret-key-123',
              'x-request-id': 'req-abc-123',
              traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
            },
          });
          expect(response.status).toBe(404);
          started.child.kill('SIGTERM');
          expect(await started.exited).toBe(0);
        } finally {
          started.child.kill('SIGKILL');
        }
        const lines = started.stdout().trim().split('\n');
        const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
        expect(entries.every((entry) => entry.app === app && typeof entry.level === 'string')).toBe(true);
        expect(entries).toContainEqual(
          expect.objectContaining({ message: `listening on http://0.0.0.0:${port} (docs at /docs)` }),
        );
        const requestLog = entries.find((entry) => entry.requestId === 'req-abc-123');
        expect(requestLog).toMatchObject({ res: { statusCode: 404 }, traceId: '4bf92f3577b34da6a3ce929d0e0e4736' });
        expect(started.stdout()).not.toContain('secret-key-123');
      });

      it('refuses to start in production without API_KEYS', async () => {
        await expectOneLineFailure({ NODE_ENV: 'production' }, /API_KEYS: required when NODE_ENV=production/);
      });
    }

    it.each([
      ['on SIGTERM', ['SIGTERM']],
      // A Ctrl-C under `npm start` reaches each app twice: from the terminal, and from scripts/start.js.
      ['on a Ctrl-C that reaches it twice', ['SIGINT', 'SIGINT']],
    ] as const)('starts, answers ready on PORT, drains and exits 0 %s', async (_when, signals) => {
      const port = await freePort();
      const started = spawnApp(app, { ...environment.env, PORT: String(port) });
      try {
        await untilReady(port);
        for (const signal of signals) started.child.kill(signal);
        expect(await started.exited).toBe(0);
      } finally {
        started.child.kill('SIGKILL');
      }
    });
  });
}
