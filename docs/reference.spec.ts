/**
 * The reference under docs/ stays whole: every variable an app reads is documented, and nothing in
 * the repository's own documentation points outside the repository for its contract.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { adEngineEnvSchema } from '../apps/ad-engine/src/config';
import { notificationsEnvSchema } from '../apps/notifications/src/config';
import { transactionsEnvSchema } from '../apps/transactions/src/config';

const ROOT = path.resolve(__dirname, '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/** The variables an env schema reads: the keys of its object, under any refinements and transforms. */
function variablesOf(schema: z.ZodType): string[] {
  const node = schema as unknown as { shape?: Record<string, unknown>; in?: z.ZodType };
  if (node.shape) return Object.keys(node.shape);
  if (node.in) return variablesOf(node.in);
  throw new Error('not an object schema');
}

describe.each([
  ['transactions', transactionsEnvSchema],
  ['ad-engine', adEngineEnvSchema],
  ['notifications', notificationsEnvSchema],
] as const)('the variables %s reads', (_app, schema) => {
  it.each(['docs/configuration.md', '.env.example'])('are all in %s', (file) => {
    const text = read(file);
    const undocumented = variablesOf(schema).filter(
      (name) => !new RegExp(`(^|[\\s\`|])${name}([=\\s\`|]|$)`, 'm').test(text),
    );
    expect(undocumented).toEqual([]);
  });
});

describe('the documentation', () => {
  const files = [
    'README.md',
    'CONTRIBUTING.md',
    'CHANGELOG.md',
    'SECURITY.md',
    ...readdirSync(path.join(ROOT, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ];

  it.each(files)('%s points at nothing outside the repository', (file) => {
    expect(read(file)).not.toMatch(/\.\.\/shared\/|CONTRACT\.md/);
  });

  it('covers the four parts of the reference', () => {
    for (const part of ['http-api.md', 'events.md', 'configuration.md', 'operations.md']) {
      expect(files).toContain(`docs/${part}`);
    }
  });
});
