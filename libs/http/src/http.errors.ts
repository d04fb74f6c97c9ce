import { defineErrors } from '@app/errors';

/** The errors of HTTP itself: raised by this lib's guards, middleware and filter, not by features. */
export const HTTP_ERRORS = defineErrors({
  'malformed-request': { kind: 'invalid', title: 'The request body could not be read' },
  unauthorized: { kind: 'unauthenticated', title: 'A valid API key is required' },
  forbidden: { kind: 'forbidden', title: 'Not allowed' },
  'route-not-found': { kind: 'not-found', title: 'No such route' },
  'method-not-allowed': { kind: 'method-not-allowed', title: 'Method not allowed' },
  'payload-too-large': { kind: 'too-large', title: 'The request body is too large' },
  'unsupported-media-type': { kind: 'unsupported-media-type', title: 'Unsupported media type' },
  'rate-limited': { kind: 'rate-limited', title: 'Too many requests' },
  'internal-error': { kind: 'internal', title: 'Internal server error' },
  'service-unavailable': { kind: 'unavailable', title: 'Service unavailable' },
});
