import type { OpenAPIObject } from '@nestjs/swagger';

const PROBLEM_SCHEMA_REF = '#/components/schemas/ProblemDto';

/**
 * Nest's OpenAPI document gives every response `application/json`; the error answers are sent as
 * `application/problem+json` (RFC 9457), and a client generated from the document should expect
 * that. Rewrites, in place, each response whose body is a ProblemDto.
 */
export function documentProblemsAsProblemJson(document: OpenAPIObject): OpenAPIObject {
  for (const pathItem of Object.values(document.paths)) {
    for (const operation of Object.values(pathItem) as { responses?: Record<string, unknown> }[]) {
      for (const response of Object.values(operation?.responses ?? {}) as { content?: Record<string, unknown> }[]) {
        const json = response.content?.['application/json'] as { schema?: { $ref?: string } } | undefined;
        if (json?.schema?.$ref !== PROBLEM_SCHEMA_REF) continue;
        response.content = { 'application/problem+json': json };
      }
    }
  }
  return document;
}
