import { EXCHANGES } from '@app/contracts';
import {
  catalogueEvent,
  AmqpProbe,
  ApiClient,
  createTestEnvironment,
  eventually,
  RunningTestApp,
  sql,
  startTestApp,
  TestEnvironment,
  WebhookReceiver,
} from '@app/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { appDefinition } from '../src/app.definition';
import { keyIdOf } from '../src/secrets/secret-box';

const KEY_A = randomBytes(32).toString('base64');
const KEY_B = randomBytes(32).toString('base64');
const SETTINGS = { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_RETRY_SCHEDULE: '200ms,400ms' };

const event = () => catalogueEvent('transaction.created');
const sealedWith = (key: string) => `v1:${keyIdOf(Buffer.from(key, 'base64'))}:`;

describe('webhook secrets at rest (CONTRACT.md section 9)', () => {
  let environment: TestEnvironment;
  let receiver: WebhookReceiver;
  let amqp: AmqpProbe;
  let app: RunningTestApp | undefined;

  const start = async (keys: Record<string, string>) => {
    app = await startTestApp(appDefinition, environment, { ...SETTINGS, ...keys });
    return new ApiClient(app.url);
  };
  const stored = async (id: string) =>
    (
      await sql<{ secret: string; previous_secret: string | null }>(
        environment.databaseUrl,
        'SELECT secret, previous_secret FROM notifications.endpoints WHERE id = $1',
        [id],
      )
    )[0];
  /** Publishes an event and answers the request that delivered it. */
  const deliverOne = async () => {
    const published = event();
    amqp.publishEvent(EXCHANGES.transactions, published);
    return eventually(() => {
      const request = receiver.received.find((r) => r.headers['webhook-id'] === published.id);
      expect(request).toBeDefined();
      return request!;
    });
  };
  const verifies = (secret: string, request: { body: string; headers: object }) =>
    new Webhook(secret).verify(request.body, request.headers as Record<string, string>);

  beforeEach(async () => {
    environment = await createTestEnvironment();
    receiver = await WebhookReceiver.start();
    amqp = await AmqpProbe.connect(environment.rabbitmqUrl);
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
    await amqp.close();
    await receiver.close();
    await environment.teardown();
  });

  it('stores the secrets sealed, never the secret nor the key, and still signs with them', async () => {
    const api = await start({ WEBHOOK_SECRETS_KEY: KEY_A });
    const created = (await api.post('/webhooks', { url: receiver.url })).body as { id: string; secret: string };
    const rotated = (await api.post(`/webhooks/${created.id}/rotate-secret`, {})).body as { secret: string };

    const row = await stored(created.id);
    for (const column of [row.secret, row.previous_secret!]) {
      expect(column.startsWith(sealedWith(KEY_A))).toBe(true);
      expect(column).not.toContain('whsec_');
      for (const secret of [created.secret, rotated.secret]) expect(column).not.toContain(secret.slice(6, 30));
      expect(column).not.toContain(KEY_A.slice(0, 20));
      expect(column).not.toContain(Buffer.from(KEY_A, 'base64').toString('base64url').slice(0, 20));
    }
    const dump = JSON.stringify(await sql(environment.databaseUrl, 'SELECT * FROM notifications.endpoints'));
    expect(dump).not.toContain('whsec_');
    // Shown once, never again.
    expect(JSON.stringify((await api.get(`/webhooks/${created.id}`)).body)).not.toContain('secret');

    const request = await deliverOne();
    expect(verifies(created.secret, request)).toBeDefined();
    expect(verifies(rotated.secret, request)).toBeDefined();
  });

  it('reads secrets sealed with WEBHOOK_SECRETS_KEY_PREVIOUS and re-seals them with the new key', async () => {
    let api = await start({ WEBHOOK_SECRETS_KEY: KEY_A });
    const created = (await api.post('/webhooks', { url: receiver.url })).body as { id: string; secret: string };
    const rotated = (await api.post(`/webhooks/${created.id}/rotate-secret`, {})).body as { secret: string };
    const before = await stored(created.id);
    await app!.close();

    api = await start({ WEBHOOK_SECRETS_KEY: KEY_B, WEBHOOK_SECRETS_KEY_PREVIOUS: KEY_A });
    const request = await deliverOne();
    expect(verifies(created.secret, request)).toBeDefined();
    expect(verifies(rotated.secret, request)).toBeDefined();
    await eventually(async () => {
      const after = await stored(created.id);
      expect(after.secret.startsWith(sealedWith(KEY_B))).toBe(true);
      expect(after.previous_secret!.startsWith(sealedWith(KEY_B))).toBe(true);
    });
    const after = await stored(created.id);
    expect(after.secret).not.toBe(before.secret);
    await app!.close();

    // Key A can go now: key B alone signs the next delivery.
    await start({ WEBHOOK_SECRETS_KEY: KEY_B });
    const next = await deliverOne();
    expect(verifies(created.secret, next)).toBeDefined();
    expect(verifies(rotated.secret, next)).toBeDefined();
  });

  it('seals at start the secrets stored in the clear before encryption, which keep signing meanwhile', async () => {
    // A first start migrates the schema; the endpoint is then written as the code before stored it.
    await start({ WEBHOOK_SECRETS_KEY: KEY_A });
    await app!.close();
    const id = randomUUID();
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const previous = `whsec_${randomBytes(32).toString('base64')}`;
    await sql(
      environment.databaseUrl,
      `INSERT INTO notifications.endpoints (id, url, secret, previous_secret, previous_secret_expires_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, now() + interval '1 hour', now(), now())`,
      [id, receiver.url, secret, previous],
    );

    await start({ WEBHOOK_SECRETS_KEY: KEY_A });
    await eventually(async () => {
      const row = await stored(id);
      expect(row.secret.startsWith(sealedWith(KEY_A))).toBe(true);
      expect(row.previous_secret!.startsWith(sealedWith(KEY_A))).toBe(true);
    });
    const request = await deliverOne();
    expect(verifies(secret, request)).toBeDefined();
    expect(verifies(previous, request)).toBeDefined();
  });

  it('sends nothing unsigned when a secret was sealed with a key it lacks, says why, and recovers on rotation', async () => {
    let api = await start({ WEBHOOK_SECRETS_KEY: KEY_A });
    const created = (await api.post('/webhooks', { url: receiver.url })).body as { id: string };
    await app!.close();

    // Key A forgotten: not given as WEBHOOK_SECRETS_KEY_PREVIOUS.
    api = await start({ WEBHOOK_SECRETS_KEY: KEY_B });
    amqp.publishEvent(EXCHANGES.transactions, event());
    await eventually(async () =>
      expect((await api.get(`/webhooks/${created.id}/deliveries`)).body.data[0]?.lastError).toMatch(
        /^not sent: the endpoint's signing secret cannot be decrypted here \(sealed with key \S+, which is neither WEBHOOK_SECRETS_KEY nor WEBHOOK_SECRETS_KEY_PREVIOUS\)$/,
      ),
    );
    expect(receiver.received).toHaveLength(0);
    expect((await stored(created.id)).secret.startsWith(sealedWith(KEY_A))).toBe(true);

    // Rotating recovers: the unreadable secret is dropped, not kept as the previous one.
    const rotated = await api.post(`/webhooks/${created.id}/rotate-secret`, {});
    expect(rotated.status).toBe(200);
    expect((await stored(created.id)).previous_secret).toBeNull();
    const request = await deliverOne();
    expect(String(request.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(verifies(rotated.body.secret, request)).toBeDefined();
  });
});
