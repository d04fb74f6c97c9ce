import type { AppDefinition } from '@app/bootstrap';
import type { PlatformConfig } from '@app/config';
import { unroutedName } from '@app/contracts';
import SwaggerParser from '@apidevtools/swagger-parser';
import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { AmqpProbe } from './amqp-probe';
import { seriesLine } from './metrics-text';
import { RunningTestApp, startTestApp } from './test-app';
import { createTestEnvironment, TestEnvironment } from './test-environment';

export interface AppConformance {
  /** The exchange the app owns (CONTRACT.md section 5). */
  exchange: string;
  /** The PostgreSQL schema the app owns (CONTRACT.md section 2). */
  schema: string;
  /** The queues it consumes: each has its consumed-messages series at zero before any message. */
  queues?: string[];
  /** The event types each of its queues receives, as its AsyncAPI document must list them (none if omitted). */
  receives?: Record<string, string[]>;
  /** Whether it serves its published events at GET /events (the producers of the event log). */
  servesEventLog?: boolean;
  /** Further labelled series of its own that must exist at zero from start-up. */
  zeroSeries?: { name: string; labels: Record<string, string> }[];
}

/** Routes any caller may use: no API key, no rate limit (health checks and metrics). */
const PUBLIC_PATH = /^\/(health|metrics)(\/|$)/;
const PROBLEM_SCHEMA = { $ref: '#/components/schemas/ProblemDto' };

interface OpenApiResponse {
  content?: Record<string, { schema?: { $ref?: string } }>;
  headers?: Record<string, unknown>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, { responses: Record<string, OpenApiResponse> }>>;
}
interface EnvelopeSchema {
  required: string[];
  properties: Record<string, unknown>;
}

function operationsOf(document: OpenApiDocument) {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, { responses }]) => ({ method, path, responses })),
  );
}

/**
 * What CONTRACT.md sections 1-3 promise for every app, checked against the real app booted on a
 * real database and broker: health, metrics, docs, problem+json, request ids, its schema with
 * its migrations table, and its exchange with the alternate exchange behind it.
 */
export function describeAppConformance<C extends PlatformConfig>(
  definition: AppDefinition<C>,
  expected: AppConformance,
): void {
  describe(`${definition.name} platform conformance`, () => {
    let environment: TestEnvironment;
    let running: RunningTestApp;

    beforeAll(async () => {
      environment = await createTestEnvironment();
      running = await startTestApp(definition, environment);
    });

    afterAll(async () => {
      await running?.close();
      await environment?.teardown();
    });

    it('answers GET /health/live', async () => {
      const response = await request(running.url).get('/health/live');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: 'ok' });
    });

    it('is not ready while its migrations are pending (DB_MIGRATIONS_RUN=false)', async () => {
      const pendingEnvironment = await createTestEnvironment();
      const pending = await startTestApp(definition, pendingEnvironment, { DB_MIGRATIONS_RUN: 'false' });
      try {
        const response = await request(pending.url).get('/health/ready');
        expect(response.status).toBe(503);
        expect(response.body.details.migrations).toMatchObject({ status: 'down' });
      } finally {
        await pending.close();
        await pendingEnvironment.teardown();
      }
    });

    it('answers GET /health/ready with the database and the broker up', async () => {
      const response = await request(running.url).get('/health/ready');
      expect(response.status).toBe(200);
      expect(response.body.details).toMatchObject({
        database: { status: 'up' },
        migrations: { status: 'up' },
        rabbitmq: { status: 'up' },
      });
    });

    it('serves Prometheus metrics with process and HTTP series', async () => {
      await request(running.url).get('/health/live');
      const response = await request(running.url).get('/metrics');
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/plain/);
      expect(response.text).toContain(`process_cpu_user_seconds_total{app="${definition.name}"}`);
      expect(response.text).toMatch(/http_requests_total\{[^}]*route="\/health\/live"/);
    });

    it('has its labelled series at zero from start-up, before any event (CONTRACT.md section 10)', async () => {
      const metrics = (await request(running.url).get('/metrics')).text;
      const expectedAtZero = [
        { name: 'outbox_events_published_total', labels: { exchange: expected.exchange } },
        { name: 'outbox_commit_to_publish_seconds_count', labels: { exchange: expected.exchange } },
        ...(expected.queues ?? []).flatMap((queue) => [
          ...['acked', 'retried', 'dead_lettered'].map((outcome) => ({
            name: 'messages_consumed_total',
            labels: { queue, outcome },
          })),
          ...['succeeded', 'failed'].map((outcome) => ({
            name: 'message_handler_duration_seconds_count',
            labels: { queue, outcome },
          })),
        ]),
        ...(expected.zeroSeries ?? []),
      ];
      for (const { name, labels } of expectedAtZero) expect(metrics).toMatch(seriesLine(name, labels, '0'));
    });

    it('serves the OpenAPI UI and document', async () => {
      const ui = await request(running.url).get('/docs');
      expect(ui.status).toBe(200);
      expect(ui.headers['content-type']).toMatch(/text\/html/);
      const document = await request(running.url).get('/docs-json');
      expect(document.status).toBe(200);
      expect(document.body.openapi).toMatch(/^3\./);
      expect(document.body.info.title).toBe(definition.title);
      expect(Object.keys(document.body.paths)).toEqual(expect.arrayContaining(['/health/live', '/health/ready']));
    });

    it('serves an OpenAPI document valid under the OpenAPI 3.0 schema', async () => {
      const response = await request(running.url).get('/docs-json');
      // validate() dereferences what it is given: a copy of its own, parsed from the text.
      await expect(
        SwaggerParser.validate(JSON.parse(response.text) as Parameters<typeof SwaggerParser.validate>[0]),
      ).resolves.toBeDefined();
    });

    it('documents the error answers every route can give, as problem details', async () => {
      const document = (await request(running.url).get('/docs-json')).body as OpenApiDocument;
      const operations = operationsOf(document);
      expect(operations.length).toBeGreaterThan(2);
      for (const { method, path, responses } of operations) {
        const expectedStatuses = [
          ...(PUBLIC_PATH.test(path) ? [] : ['401', '429']),
          ...(path.includes('{') ? ['404'] : []),
          ...(['post', 'put', 'patch'].includes(method) ? ['400', '413', '415'] : []),
        ];
        expect({ [`${method} ${path}`]: Object.keys(responses) }).toEqual({
          [`${method} ${path}`]: expect.arrayContaining(expectedStatuses),
        });
        for (const [status, response] of Object.entries(responses)) {
          if (/^4/.test(status))
            expect(response.content).toEqual({ 'application/problem+json': { schema: PROBLEM_SCHEMA } });
        }
      }
      // 429 says when to come back.
      const limited = operations.find(({ path }) => !PUBLIC_PATH.test(path));
      expect(limited?.responses['429'].headers).toHaveProperty('Retry-After');
    });

    it('serves the AsyncAPI document with its own events as send operations', async () => {
      const response = await request(running.url).get('/asyncapi.json');
      expect(response.status).toBe(200);
      expect(response.body.asyncapi).toBe('3.0.0');
      const operations = Object.entries(response.body.operations as Record<string, { channel: { $ref: string } }>);
      const publishes = operations.filter(([name]) => name.startsWith('publish.'));
      expect(publishes.length).toBeGreaterThan(0);
      for (const [, operation] of publishes) expect(operation.channel.$ref).toBe(`#/channels/${expected.exchange}`);
      // The broker this app really uses, without the credentials in its RABBITMQ_URL.
      const broker = new URL(environment.rabbitmqUrl);
      expect(response.body.servers.rabbitmq).toMatchObject({
        host: broker.host,
        pathname: `/${environment.vhost}`,
        protocol: 'amqp',
      });
      expect(JSON.stringify(response.body)).not.toContain(broker.password);
    });

    it('lists what the app consumes as receive operations, on channels bound in its own vhost', async () => {
      const document = (await request(running.url).get('/asyncapi.json')).body as {
        channels: Record<string, { bindings: { amqp: { exchange?: { vhost: string }; queue?: { vhost: string } } } }>;
        operations: Record<string, { action: string; channel: { $ref: string }; messages: { $ref: string }[] }>;
      };
      const receives = Object.entries(document.operations).filter(([, operation]) => operation.action === 'receive');
      const received = Object.fromEntries(
        receives.map(([name, operation]) => {
          expect(operation.channel.$ref).toBe(`#/channels/${name.slice('receive.'.length)}`);
          return [name.slice('receive.'.length), operation.messages.map(({ $ref }) => $ref.split('/').pop()).sort()];
        }),
      );
      const expectedReceives = Object.fromEntries(
        Object.entries(expected.receives ?? {}).map(([queue, types]) => [queue, [...types].sort()]),
      );
      expect(received).toEqual(expectedReceives);
      for (const { bindings } of Object.values(document.channels)) {
        expect((bindings.amqp.exchange ?? bindings.amqp.queue)?.vhost).toBe(environment.vhost);
      }
    });

    it('serves an AsyncAPI document that the AsyncAPI parser accepts without errors or warnings', async () => {
      const response = await request(running.url).get('/asyncapi.json');
      const { document, diagnostics } = await new Parser().parse(response.text);
      // Information and hints (such as "3.1.0 exists") are not problems.
      const problems = diagnostics.filter(({ severity }) =>
        [DiagnosticSeverity.Error, DiagnosticSeverity.Warning].includes(severity),
      );
      expect(problems.map(({ message, path }) => `${path.join('/')}: ${message}`)).toEqual([]);
      expect(document?.operations().filterByReceive().length).toBe(Object.keys(expected.receives ?? {}).length);
    });

    if (expected.servesEventLog) {
      it('documents GET /events as a page of CloudEvents envelopes', async () => {
        const document = (await request(running.url).get('/docs-json')).body as OpenApiDocument & {
          components: { schemas: Record<string, { properties: Record<string, Record<string, unknown>> }> };
        };
        const ok = document.paths['/events'].get.responses['200'].content?.['application/json']?.schema;
        const page = document.components.schemas[String(ok?.$ref).split('/').pop() ?? ''];
        expect(page.properties.nextCursor).toMatchObject({ type: 'string', nullable: true });
        const envelopes = (page.properties.data as { type: string; items: { oneOf: EnvelopeSchema[] } }).items.oneOf;
        expect(page.properties.data.type).toBe('array');
        expect(envelopes.length).toBeGreaterThan(0);
        for (const envelope of envelopes) {
          expect(envelope.required).toEqual(expect.arrayContaining(['id', 'type', 'source', 'time', 'data']));
          expect(envelope.properties).toHaveProperty('sequence');
        }
      });
    }

    it('answers unknown routes with 404 problem+json and an x-request-id', async () => {
      const response = await request(running.url).get(`/no-such-route/${randomUUID()}`);
      expect(response.status).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.headers['x-request-id']).toBeTruthy();
      expect(response.body).toMatchObject({ status: 404, type: expect.stringMatching(/route-not-found$/) });
    });

    it(`keeps its tables and migrations table in the ${expected.schema} schema`, async () => {
      const client = new Client({ connectionString: environment.databaseUrl });
      await client.connect();
      try {
        const { rows } = await client.query(
          `SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'migrations'`,
          [expected.schema],
        );
        expect(rows).toHaveLength(1);
      } finally {
        await client.end();
      }
    });

    it(`owns the durable topic exchange ${expected.exchange}, with an alternate exchange that keeps unrouted messages`, async () => {
      const exchange = await environment.rabbitmq.exchange(environment.vhost, expected.exchange);
      expect(exchange).toMatchObject({
        type: 'topic',
        durable: true,
        arguments: { 'alternate-exchange': unroutedName(expected.exchange) },
      });
      const unrouted = await environment.rabbitmq.queue(environment.vhost, unroutedName(expected.exchange));
      expect(unrouted?.arguments).toMatchObject({ 'x-queue-type': 'quorum' });
      const amqp = await AmqpProbe.connect(environment.rabbitmqUrl);
      try {
        // Declaring it the way the README tells outside teams to must succeed (same arguments).
        const channel = amqp.channel;
        await channel.assertExchange(expected.exchange, 'topic', {
          durable: true,
          arguments: { 'alternate-exchange': unroutedName(expected.exchange) },
        });
      } finally {
        await amqp.close();
      }
    });
  });
}
