import { ProblemDto } from '@app/dto';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ApiResponse, DECORATORS } from '@nestjs/swagger';
import { FAILED_AUTH_LIMIT } from './failed-auth-limiter';
import { JSON_BODY_LIMIT } from './json-only.middleware';
import { IS_PUBLIC } from './public.decorator';

/** The methods whose body the JSON middleware and body parser read, whichever handler follows. */
const WITH_BODY = new Set([RequestMethod.POST, RequestMethod.PUT, RequestMethod.PATCH]);

interface CommonError {
  status: number;
  description: string;
  headers?: Record<string, { description: string; schema: { type: 'integer' } }>;
}

const RETRY_AFTER = {
  'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer' } },
} as const;

/**
 * Documents, on every route of a controller, the problem+json answers that the platform's HTTP
 * layer gives whatever the handler does: 401 and 429 from the key guard and rate limit (unless the
 * route is @Public), 400, 413 and 415 from the JSON body middleware and parser on POST, PUT and
 * PATCH, 400 from the validation pipe where a query is read, 404 from ParseIdPipe on a path with
 * a parameter. A status the route already declares keeps its own description. Place it above
 * @Controller: class decorators run bottom up, and it reads what the others have set.
 */
export const ApiCommonErrors = (): ClassDecorator => (target) => {
  const prototype = target.prototype as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(prototype)) {
    const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
    const handler = descriptor?.value as object | undefined;
    if (typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
    const declared = (Reflect.getMetadata(DECORATORS.API_RESPONSE, handler) ?? {}) as Record<string, unknown>;
    for (const { status, description, headers } of commonErrorsOf(target, name, handler)) {
      if (String(status) in declared) continue;
      ApiResponse({ status, description, headers, type: ProblemDto })(
        prototype,
        name,
        descriptor as PropertyDescriptor,
      );
    }
  }
};

function commonErrorsOf(controller: object, name: string, handler: object): CommonError[] {
  const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod;
  const paths = [controller, handler].flatMap((holder) => [Reflect.getMetadata(PATH_METADATA, holder) ?? []].flat());
  const argumentKinds = Object.keys(
    (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<string, unknown>,
  ).map((key) => Number(key.split(':')[0]));
  const isPublic = [handler, controller].some((holder) => Reflect.getMetadata(IS_PUBLIC, holder) === true);
  const hasBody = WITH_BODY.has(method);

  const errors: CommonError[] = [];
  if (hasBody) {
    errors.push({ status: 400, description: 'Malformed JSON, or a field that fails validation (listed in `errors`)' });
  } else if (argumentKinds.includes(RouteParamtypes.QUERY)) {
    errors.push({ status: 400, description: 'A query parameter that fails validation (listed in `errors`)' });
  }
  if (!isPublic) errors.push({ status: 401, description: 'API_KEYS is set and no valid key was sent' });
  if (paths.some((path: unknown) => typeof path === 'string' && path.includes(':'))) {
    errors.push({ status: 404, description: 'Nothing has this id (an id that is not a UUID included)' });
  }
  if (hasBody) {
    errors.push({ status: 413, description: `The body is larger than ${JSON_BODY_LIMIT}` });
    errors.push({ status: 415, description: 'A body that is not application/json' });
  }
  if (!isPublic) {
    errors.push({
      status: 429,
      description: `Over RATE_LIMIT_PER_MINUTE for this key, or over ${FAILED_AUTH_LIMIT} failed authentications in a minute from this address`,
      headers: RETRY_AFTER,
    });
  }
  return errors;
}
