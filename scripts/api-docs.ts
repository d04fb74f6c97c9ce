/**
 * The rendered API documents under docs/: docs/openapi/<app>.json (what GET /docs-json serves)
 * and docs/asyncapi/<app>.json (what GET /asyncapi.json serves), built from each app's Nest module
 * in preview mode, which reads controllers and providers' metadata without instantiating anything:
 * no database, broker or network is needed.
 *
 *   npm run docs:generate   writes them
 *   npm run docs:check      fails, naming the files, when a committed one is not what the code serves
 */
import { AppDefinition, buildAppAsyncApiDocument, buildOpenApiDocument, consumersOf } from '@app/bootstrap';
import { loadConfig, PLATFORM_CONFIG, PlatformConfig } from '@app/config';
import { MESSAGING_OPTIONS, MessagingModuleOptions } from '@app/messaging';
import { ModulesContainer, NestFactory } from '@nestjs/core';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { appDefinition as adEngine } from '../apps/ad-engine/src/app.definition';
import { appDefinition as notifications } from '../apps/notifications/src/app.definition';
import { appDefinition as transactions } from '../apps/transactions/src/app.definition';

const DOCS = path.resolve(__dirname, '..', 'docs');
// One renderer per app: each app's definition has its own config type.
const RENDERERS = [() => render(transactions), () => render(adEngine), () => render(notifications)];

/** Both documents of one app, as files: path relative to docs/, and the JSON text to write. */
async function render<C extends PlatformConfig>(definition: AppDefinition<C>): Promise<Map<string, string>> {
  // The defaults: the same documents whatever the machine's environment says (the AsyncAPI
  // document names the broker of RABBITMQ_URL, here the default localhost:5672).
  const config = loadConfig(definition.envSchema, {});
  const app = await NestFactory.create(definition.rootModule(config), { preview: true, logger: false });
  try {
    const openApi = buildOpenApiDocument(app, definition.title, definition.description);
    const asyncApi = buildAppAsyncApiDocument(
      app.get<MessagingModuleOptions>(MESSAGING_OPTIONS, { strict: false }),
      app.get<C>(PLATFORM_CONFIG, { strict: false }),
      consumersOf(app.get(ModulesContainer)),
    );
    const json = (document: unknown) => `${JSON.stringify(document, null, 2)}\n`;
    return new Map([
      [`openapi/${definition.name}.json`, json(openApi)],
      [`asyncapi/${definition.name}.json`, json(asyncApi)],
    ]);
  } finally {
    await app.close();
  }
}

async function main(mode: string | undefined): Promise<number> {
  if (mode !== 'generate' && mode !== 'check') {
    process.stderr.write('usage: api-docs.ts generate|check\n');
    return 2;
  }
  // The version the documents carry is the code's, not the deployment's.
  delete process.env.APP_VERSION;
  const stale: string[] = [];
  for (const renderDocuments of RENDERERS) {
    for (const [file, text] of await renderDocuments()) {
      const target = path.join(DOCS, file);
      if (mode === 'generate') {
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, text);
        process.stdout.write(`wrote docs/${file}\n`);
      } else if (!existsSync(target) || readFileSync(target, 'utf8') !== text) {
        stale.push(`docs/${file}`);
      }
    }
  }
  if (stale.length > 0) {
    process.stderr.write(`out of date (run \`npm run docs:generate\` and commit): ${stale.join(', ')}\n`);
    return 1;
  }
  if (mode === 'check') process.stdout.write('docs/openapi and docs/asyncapi are what the apps serve\n');
  return 0;
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`api-docs: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
