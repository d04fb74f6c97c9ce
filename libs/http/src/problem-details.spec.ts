import { defineErrors, ErrorKind } from '@app/errors';
import { problemFor, STATUS_BY_KIND } from './problem-details';

describe('problemFor', () => {
  const errors = defineErrors({
    'endpoint-disabled': { kind: 'rule-violated', title: 'The webhook endpoint is disabled' },
    'validation-failed': { kind: 'invalid', title: 'The request is not valid' },
  });

  it("answers with the type's code, title and its kind's status", () => {
    expect(problemFor(errors['endpoint-disabled'], 'Webhook endpoint e1 is disabled')).toEqual({
      type: '/problems/endpoint-disabled',
      title: 'The webhook endpoint is disabled',
      status: 422,
      detail: 'Webhook endpoint e1 is disabled',
    });
  });

  it('lists the fields at fault only when there are some', () => {
    const errorsAtFault = [{ field: 'url', message: 'url must be https' }];
    expect(problemFor(errors['validation-failed'], 'url must be https', errorsAtFault)).toEqual({
      type: '/problems/validation-failed',
      title: 'The request is not valid',
      status: 400,
      detail: 'url must be https',
      errors: errorsAtFault,
    });
  });

  it('gives every kind a client (4xx) or server (5xx) error status', () => {
    const serverKinds: ErrorKind[] = ['internal', 'unavailable'];
    for (const [kind, status] of Object.entries(STATUS_BY_KIND)) {
      expect([kind, Math.floor(status / 100)]).toEqual([kind, serverKinds.includes(kind as ErrorKind) ? 5 : 4]);
    }
  });
});
