import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { documentProblemsAsProblemJson } from './problem-media-type';

/** OpenAPI UI at GET /docs and the document at GET /docs-json (CONTRACT.md section 3). */
export function setupSwagger(app: INestApplication, title: string, description: string): void {
  const document = documentProblemsAsProblemJson(
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
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
}
