import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { documentProblemsAsProblemJson } from './problem-media-type';

/**
 * The OpenAPI document of an app's HTTP API, from its controllers and DTOs: what GET /docs-json
 * serves and what `npm run docs:generate` writes to docs/openapi/<app>.json.
 */
export function buildOpenApiDocument(app: INestApplication, title: string, description: string): OpenAPIObject {
  return documentProblemsAsProblemJson(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle(title)
        .setDescription(description)
        .setVersion(process.env.APP_VERSION ?? '0.1.0')
        .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'One of the keys in API_KEYS' })
        .addSecurityRequirements('bearer')
        .build(),
    ),
  );
}

/** OpenAPI UI at GET /docs and the document at GET /docs-json (docs/http-api.md). */
export function setupSwagger(app: INestApplication, title: string, description: string): void {
  const document = buildOpenApiDocument(app, title, description);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
}
