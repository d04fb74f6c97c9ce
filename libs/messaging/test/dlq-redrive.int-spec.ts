import { childCoverageEnv, createTestEnvironment, TestEnvironment } from '@app/testing';
import amqplib, { ChannelModel, ConfirmChannel, GetMessage } from 'amqplib';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { DEAD_LETTER_HEADERS, declareConsumerQueue, LAST_ERROR_HEADER, RETRY_COUNT_HEADER } from '../src';

const ROOT = path.resolve(__dirname, '../../..');

interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

describe('dlq:redrive (the documented command, as a child process, over a real vhost)', () => {
  let environment: TestEnvironment;
  let connection: ChannelModel;
  let channel: ConfirmChannel;

  /** `npm run dlq:redrive -- <args>`, exactly as the README tells an operator to run it. */
  const redrive = (...args: string[]) =>
    new Promise<CommandResult>((resolve) => {
      execFile(
        'npm',
        ['run', '--silent', 'dlq:redrive', '--', ...args],
        {
          cwd: ROOT,
          env: {
            PATH: process.env.PATH ?? '',
            TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json'),
            RABBITMQ_URL: environment.rabbitmqUrl,
            ...childCoverageEnv(),
          },
        },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
      );
    });

  const park = async (queue: string, count: number) => {
    const sent = Array.from({ length: count }, (_, i) => ({
      body: Buffer.from(JSON.stringify({ id: `event-${i}`, type: 'probe.happened', data: { i } })),
      options: {
        persistent: true,
        contentType: 'application/cloudevents+json',
        messageId: `event-${i}`,
        type: 'probe.happened',
        appId: 'transactions',
        timestamp: 1_790_000_000 + i,
        headers: {
          traceparent: `00-${'a'.repeat(31)}${i}-${'b'.repeat(16)}-01`,
          [RETRY_COUNT_HEADER]: 3,
          [LAST_ERROR_HEADER]: 'boom',
          [DEAD_LETTER_HEADERS.reason]: 'handler failed after 4 attempts: boom',
          [DEAD_LETTER_HEADERS.queue]: queue,
        },
      },
    }));
    for (const { body, options } of sent) channel.sendToQueue(`${queue}.dlq`, body, options);
    await channel.waitForConfirms();
    return sent;
  };

  const drain = async (queue: string): Promise<GetMessage[]> => {
    const drained: GetMessage[] = [];
    for (;;) {
      const message = await channel.get(queue, { noAck: true });
      if (!message) return drained;
      drained.push(message);
    }
  };

  const count = async (queue: string) => (await channel.checkQueue(queue)).messageCount;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    connection = await amqplib.connect(environment.rabbitmqUrl);
    channel = await connection.createConfirmChannel();
  });

  afterAll(async () => {
    await connection?.close().catch(() => undefined);
    await environment?.teardown();
  });

  it('moves every parked message back to its queue, body and properties kept, oldest first, up to --limit', async () => {
    const queue = 'probe.redrive';
    await declareConsumerQueue(channel, queue, []);
    const sent = await park(queue, 3);

    const first = await redrive(queue, '--limit', '2');
    expect(first).toEqual({
      code: 0,
      stdout: `moved 2 of 3 message(s) from ${queue}.dlq back to ${queue}\n`,
      stderr: '',
    });
    expect(await count(`${queue}.dlq`)).toBe(1);
    const rest = await redrive(queue);
    expect(rest).toMatchObject({ code: 0, stdout: `moved 1 of 1 message(s) from ${queue}.dlq back to ${queue}\n` });
    expect(await count(`${queue}.dlq`)).toBe(0);

    const back = await drain(queue);
    expect(back.map((message) => message.content.toString())).toEqual(sent.map(({ body }) => body.toString()));
    back.forEach((message, i) => {
      const { headers, ...options } = sent[i].options;
      expect(message.fields.redelivered).toBe(false);
      expect(message.properties).toMatchObject({
        contentType: options.contentType,
        messageId: options.messageId,
        type: options.type,
        appId: options.appId,
        timestamp: options.timestamp,
        deliveryMode: 2,
      });
      // The reason it was parked stays visible; the failed run's retry count starts again.
      expect(message.properties.headers).toMatchObject({
        traceparent: headers.traceparent,
        [DEAD_LETTER_HEADERS.reason]: headers[DEAD_LETTER_HEADERS.reason],
        [DEAD_LETTER_HEADERS.queue]: queue,
      });
      expect(message.properties.headers).not.toHaveProperty(RETRY_COUNT_HEADER);
      expect(message.properties.headers).not.toHaveProperty(LAST_ERROR_HEADER);
    });
  });

  it('leaves every message in the DLQ when the queue refuses them', async () => {
    // A queue that refuses every publish, as a full reject-publish queue does.
    const queue = 'probe.full';
    await channel.assertQueue(`${queue}.dlq`, { durable: true });
    await channel.assertQueue(queue, {
      durable: true,
      arguments: { 'x-max-length': 0, 'x-overflow': 'reject-publish' },
    });
    await park(queue, 2);

    const result = await redrive(queue);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^dlq:redrive: failed: /);
    expect(await count(`${queue}.dlq`)).toBe(2);
    expect(await count(queue)).toBe(0);
  });

  it('refuses a DLQ, a queue without a .dlq twin, an unknown queue and a bad command line', async () => {
    await declareConsumerQueue(channel, 'probe.refusals', []);
    await channel.assertQueue('probe.lonely', { durable: true });
    channel.sendToQueue('probe.lonely', Buffer.from('{}'), { persistent: true });
    await channel.waitForConfirms();

    const [dlq, lonely, unknown, noQueue, badLimit] = await Promise.all([
      redrive('probe.refusals.dlq'),
      redrive('probe.lonely'),
      redrive('probe.nowhere'),
      redrive(),
      redrive('probe.refusals', '--limit', '0'),
    ]);
    expect(dlq).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/refused: probe\.refusals\.dlq is a dead-letter queue/),
    });
    expect(lonely).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/refused: probe\.lonely has no dead-letter queue/),
    });
    expect(unknown).toMatchObject({ code: 1, stderr: expect.stringMatching(/refused: no queue probe\.nowhere/) });
    expect(noQueue).toMatchObject({ code: 2, stderr: expect.stringMatching(/usage: dlq:redrive <queue>/) });
    expect(badLimit).toMatchObject({ code: 2, stderr: expect.stringMatching(/--limit must be a positive integer/) });
    expect(await count('probe.lonely')).toBe(1);
  });
});
