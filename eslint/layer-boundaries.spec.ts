import { spawnSync } from 'node:child_process';
import path from 'node:path';

const WORKSPACE = path.resolve(__dirname, '..');

interface LintMessage {
  line: number;
  ruleId: string | null;
  message: string;
}

/**
 * Lints each source as if it were the content of its file, with the workspace's own
 * eslint.config.mjs, as `npm run lint` does: one ESLint in one child process (Jest's module
 * sandbox cannot load the ES-module config), so the type-aware rules build the program once.
 * The files exist: type-aware rules refuse a file the project does not know.
 */
function lintAll(cases: { file: string; source: string }[]): LintMessage[][] {
  const script = `
    import { ESLint } from 'eslint';
    import { readFileSync } from 'node:fs';
    const eslint = new ESLint();
    const results = [];
    for (const { file, source } of JSON.parse(readFileSync(0, 'utf8'))) {
      const [result] = await eslint.lintText(source, { filePath: file });
      results.push(result.messages);
    }
    process.stdout.write(JSON.stringify(results));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: WORKSPACE,
    input: JSON.stringify(cases),
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`eslint failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as LintMessage[][];
}

/** The layer problems of one file, by line. */
const layerProblems = (messages: LintMessage[]) =>
  Object.fromEntries(
    messages.filter((message) => message.ruleId === 'layers/boundaries').map((m) => [m.line, m.message]),
  );

const lines = (...imports: string[]) => imports.map((from) => `export * from '${from}';`).join('\n') + '\n';

describe('layer rules in npm run lint', () => {
  let lib: LintMessage[], app: LintMessage[], appTest: LintMessage[], bench: LintMessage[];

  beforeAll(() => {
    [lib, app, appTest, bench] = lintAll([
      {
        file: 'libs/dto/src/money.ts',
        source: lines(
          '@app/contracts',
          '@app/http',
          '../../config/src',
          '../../../apps/transactions/src',
          '@app/testing',
        ),
      },
      {
        file: 'apps/transactions/src/accounts/accounts.service.ts',
        source: lines('@app/persistence', '../../../notifications/src', '@app/testing'),
      },
      { file: 'apps/transactions/test/accounts.int-spec.ts', source: lines('@app/testing') },
      {
        file: 'bench/webhooks.ts',
        source: lines('../apps/notifications/src', '../apps/notifications/src/deliveries/webhook-signer'),
      },
    ]);
  }, 120_000);

  it('fails a lib that imports up, a lib by a relative path, an app or the test kit', () => {
    expect(layerProblems(lib)).toEqual({
      2: 'dto (layer:model) may not import http (layer:platform); layer:model imports layer:model',
      3: 'import config through @app/config, not a relative path',
      4: 'dto (layer:model) may not import transactions (layer:app); layer:model imports layer:model',
      5: 'dto (layer:model) may not import testing (layer:testing); layer:model imports layer:model',
    });
  });

  it('fails an app that imports another app, or the test kit outside its tests', () => {
    expect(Object.keys(layerProblems(app))).toEqual(['2', '3']);
    expect(layerProblems(app)[2]).toMatch(/^transactions \(layer:app\) may not import notifications \(layer:app\)/);
    expect(layerProblems(app)[3]).toMatch(/^transactions \(layer:app\) may not import testing \(layer:testing\)/);
    expect(layerProblems(appTest)).toEqual({});
  });

  it('lets the benches use an app through its public entry only', () => {
    expect(layerProblems(bench)).toEqual({
      2: 'notifications is used from outside only through its public entry apps/notifications/src (index.ts)',
    });
  });
});
