import type { TestEnvironment } from '@app/testing';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Agent, request } from 'undici';
import { CURRENCY, ACCOUNTS, RunningChain } from './chain';
import { ChildProcesses, ChildProcessHandle, freePort, untilAnswering } from './child-processes';
import { APPS } from './platform-build';

const ACCOUNT_CREATION_CONCURRENCY = 16;

/**
 * The platform as production runs it: the three built apps, `NODE_ENV=production`,
 * `LOG_LEVEL=warn`, an API key, a webhook secrets key, and loopback plain-HTTP targets allowed
 * (the receiver is on 127.0.0.1). Accounts and the endpoint are created through the APIs.
 */
export async function startPlatform(
  root: string,
  environment: TestEnvironment,
  processes: ChildProcesses,
  webhookUrl: string,
): Promise<RunningChain> {
  const apiKey = randomBytes(16).toString('hex');
  const ports = Object.fromEntries(await Promise.all(APPS.map(async (app) => [app, await freePort()] as const)));
  const urlOf = (app: (typeof APPS)[number]) => `http://127.0.0.1:${ports[app]}`;
  const shared = {
    ...environment.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    API_KEYS: apiKey,
    WEBHOOK_SECRETS_KEY: randomBytes(32).toString('base64'),
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    WEBHOOK_ALLOW_HTTP: 'true',
    TRANSACTIONS_URL: urlOf('transactions'),
    AD_ENGINE_URL: urlOf('ad-engine'),
  };
  const handles: ChildProcessHandle[] = [];
  const start = async (app: (typeof APPS)[number]) => {
    const handle = processes.spawnNode(
      app,
      path.join(root, 'dist', 'apps', app, 'main.js'),
      { ...shared, PORT: String(ports[app]) },
      root,
    );
    handles.push(handle);
    await untilAnswering(`${urlOf(app)}/health/ready`, handle, processes, 200);
  };
  try {
    // The producer first: the consumers catch up from its GET /events when they first start.
    await start('transactions');
    await Promise.all([start('ad-engine'), start('notifications')]);
    const agent = new Agent({ connections: ACCOUNT_CREATION_CONCURRENCY });
    const post = async (url: string, body: unknown) => {
      const response = await request(url, {
        method: 'POST',
        dispatcher: agent,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        body: JSON.stringify(body),
      });
      const answer = (await response.body.json()) as { id: string };
      if (response.statusCode !== 201) throw new Error(`POST ${url}: ${response.statusCode} ${JSON.stringify(answer)}`);
      return answer;
    };
    await post(`${urlOf('notifications')}/webhooks`, { url: webhookUrl, eventTypes: ['transaction.created'] });
    const accountIds: string[] = [];
    let requested = 0;
    await Promise.all(
      Array.from({ length: ACCOUNT_CREATION_CONCURRENCY }, async () => {
        while (requested++ < ACCOUNTS) {
          accountIds.push((await post(`${urlOf('transactions')}/accounts`, { name: 'bench', currency: CURRENCY })).id);
        }
      }),
    );
    await agent.close();
    return {
      name: 'platform',
      apiUrl: urlOf('transactions'),
      apiKey,
      accountIds,
      processes: handles,
      databaseUrl: environment.databaseUrl,
      appUrls: Object.fromEntries(APPS.map((app) => [app, urlOf(app)])),
      stop: () => processes.stop(handles, 15_000),
    };
  } catch (error) {
    await processes.stop(handles);
    throw error;
  }
}
