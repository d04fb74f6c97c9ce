import { EVENT_TYPES } from '@app/contracts';
import { catalogueEvent, useTestApp } from '@app/testing';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { appDefinition } from '../src/app.definition';

/** CONTRACT.md section 8: the schema registry serves the catalogue producers and consumers check against. */
describe('schema registry', () => {
  const setup = useTestApp(appDefinition);

  it('lists every event type of the platform with its version and source', async () => {
    const response = await setup.api.get('/schemas');
    expect(response.status).toBe(200);
    expect(response.body.data.map((entry: { type: string }) => entry.type).sort()).toEqual([...EVENT_TYPES].sort());
    expect(response.body.data).toContainEqual({ type: 'transaction.created', version: '1', source: '/transactions' });
    expect(response.body.data).toContainEqual({ type: 'campaign.paused', version: '1', source: '/ad-engine' });
    expect(response.body.data).toContainEqual({ type: 'webhook.disabled', version: '1', source: '/notifications' });
  });

  it.each(['transaction.created', 'account.balance_updated', 'campaign.activated', 'webhook.disabled'] as const)(
    'serves the draft 2020-12 schema of a whole %s envelope, which a real event passes and a broken one fails',
    async (type) => {
      const response = await setup.api.get(`/schemas/${type}`);
      expect(response.status).toBe(200);
      expect(response.body.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      const validate = addFormats(new Ajv2020({ strict: false }), ['uuid', 'date-time', 'uri']).compile(response.body);
      const event = catalogueEvent(type);
      expect(validate(event)).toBe(true);
      expect(validate({ ...event, data: null })).toBe(false);
      expect(validate({ ...event, id: 'not-a-uuid' })).toBe(false);
      expect(validate({ ...event, source: '/somewhere-else' })).toBe(false);
    },
  );

  it('refuses what consumers refuse: an amount that is not a digit string', async () => {
    const validate = addFormats(new Ajv2020({ strict: false }), ['uuid', 'date-time', 'uri']).compile(
      (await setup.api.get('/schemas/transaction.created')).body,
    );
    const event = catalogueEvent('transaction.created');
    for (const amount of ['1e400', '-50', '0', 1050]) {
      expect(validate({ ...event, data: { ...event.data, amount } })).toBe(false);
    }
  });

  it('answers 404 problem+json for a type the platform does not have', async () => {
    for (const type of ['transaction.exploded', '__proto__', 'constructor']) {
      const response = await setup.api.get(`/schemas/${type}`);
      expect(response.status).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body.type).toMatch(/not-found$/);
    }
  });
});
