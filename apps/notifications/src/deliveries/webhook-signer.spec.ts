import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { signatureHeader } from './webhook-signer';

// The published test vector of the Standard Webhooks specification (libraries/javascript tests).
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const TIMESTAMP = new Date(1614265330 * 1000);
const BODY = '{"test": 2432232314}';
const EXPECTED = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';

describe('signatureHeader', () => {
  it('matches the specification test vector', () => {
    expect(signatureHeader([SECRET], ID, TIMESTAMP, BODY)).toBe(EXPECTED);
  });

  it('signs exactly as the standardwebhooks library does, for any secret, id and body', () => {
    for (let i = 0; i < 50; i++) {
      const secret = `whsec_${randomBytes(24 + (i % 9)).toString('base64')}`;
      const id = `evt_${randomBytes(8).toString('hex')}`;
      const timestamp = new Date(1_700_000_000_000 + i * 1_234_567);
      const body = JSON.stringify({ n: i, text: 'grüße ✓ "quoted"', nested: { list: [i, null] } });
      expect(signatureHeader([secret], id, timestamp, body)).toBe(new Webhook(secret).sign(id, timestamp, body));
    }
  });

  it('signs with both secrets during a rotation, and either verifies', () => {
    const other = `whsec_${Buffer.from('another secret of 24 bytes!').toString('base64')}`;
    const header = signatureHeader([other, SECRET], ID, TIMESTAMP, BODY);
    expect(header.split(' ')).toHaveLength(2);
    const headers = {
      'webhook-id': ID,
      'webhook-timestamp': String(TIMESTAMP.getTime() / 1000),
      'webhook-signature': header,
    };
    for (const secret of [SECRET, other]) {
      const verifier = new Webhook(secret);
      // The vector's timestamp is old; check the signature part the way verify() does.
      expect(header.split(' ')).toContain(verifier.sign(ID, TIMESTAMP, BODY));
    }
    expect(headers['webhook-signature']).toContain(EXPECTED);
  });
});
