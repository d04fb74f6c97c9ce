/**
 * Renders each kustomize overlay with `kubectl kustomize`, checks every object against the
 * Kubernetes API schemas (kubernetes-models) and then the promises the manifests make: probes,
 * resources measured from the apps' real memory use, non-root pods, the contract's variables on
 * every app, migrations in a Job and not in the Deployments, a shutdown grace that covers the drain.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

const ROOT = path.resolve(__dirname, '..', '..');
const K8S = __dirname;

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: any;
  data?: Record<string, string>;
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string; optional?: boolean };
    configMapKeyRef?: { name: string; key: string; optional?: boolean };
  };
}
interface Container {
  name: string;
  image: string;
  command?: string[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  ports?: { name?: string; containerPort: number }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  readinessProbe?: unknown;
  livenessProbe?: unknown;
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
  securityContext?: { runAsNonRoot?: boolean; allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean };
}

const APPS = { transactions: 3000, 'ad-engine': 3001, notifications: 3002 } as const;
type App = keyof typeof APPS;
const appNames = Object.keys(APPS) as App[];

/** What each app must be given in a cluster (docs/configuration.md): production refuses to start without the secrets. */
const REQUIRED_ENV: Record<App, string[]> = {
  transactions: ['NODE_ENV', 'PORT', 'DATABASE_URL', 'RABBITMQ_URL', 'API_KEYS', 'DB_MIGRATIONS_RUN', 'LOG_LEVEL'],
  'ad-engine': [
    'NODE_ENV',
    'PORT',
    'DATABASE_URL',
    'RABBITMQ_URL',
    'API_KEYS',
    'DB_MIGRATIONS_RUN',
    'LOG_LEVEL',
    'TRANSACTIONS_URL',
  ],
  notifications: [
    'NODE_ENV',
    'PORT',
    'DATABASE_URL',
    'RABBITMQ_URL',
    'API_KEYS',
    'DB_MIGRATIONS_RUN',
    'LOG_LEVEL',
    'TRANSACTIONS_URL',
    'AD_ENGINE_URL',
    'WEBHOOK_SECRETS_KEY',
  ],
};

/** The Secrets the production overlay expects to exist (its kustomization.yaml lists them for operators). */
const PRODUCTION_SECRETS = [
  'platform-api-keys',
  'notifications-webhook-secrets',
  'transactions-connections',
  'ad-engine-connections',
  'notifications-connections',
];

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
const hasKubectl = kubectl.status === 0;
const describeWithKubectl = hasKubectl ? describe : describe.skip;
if (!hasKubectl) {
  process.stderr.write('deploy/k8s/manifests.spec.ts: SKIPPED, kubectl (with kustomize) is not installed\n');
}

function render(overlay: string): K8sObject[] {
  const result = spawnSync('kubectl', ['kustomize', path.join(K8S, 'overlays', overlay)], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`kubectl kustomize overlays/${overlay} failed:\n${result.stderr}`);
  return parseAllDocuments(result.stdout).map((document) => {
    if (document.errors.length > 0) throw new Error(document.errors.map((error) => error.message).join('\n'));
    return document.toJS() as K8sObject;
  });
}

/** The kubernetes-models class for an object's apiVersion and kind, e.g. kubernetes-models/apps/v1/Deployment. */
function validateAgainstSchema(object: K8sObject): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const models = require(`kubernetes-models/${object.apiVersion}/${object.kind}`) as Record<
    string,
    new (data: unknown) => { validate(): void }
  >;
  new models[object.kind](asTheApiServerReadsIt(object)).validate();
}

/**
 * Kustomize wraps long base64 values of Secrets over lines; the API server's base64 decoder
 * skips line breaks, while the schema's `byte` format does not.
 */
function asTheApiServerReadsIt(object: K8sObject): K8sObject {
  if (object.kind !== 'Secret' || !object.data) return object;
  const data = Object.fromEntries(Object.entries(object.data).map(([key, value]) => [key, value.replace(/\n/g, '')]));
  return { ...object, data };
}

const podSpecOf = (object: K8sObject) => object.spec?.template?.spec;
const containersOf = (object: K8sObject): Container[] => [
  ...((podSpecOf(object)?.initContainers as Container[] | undefined) ?? []),
  ...((podSpecOf(object)?.containers as Container[] | undefined) ?? []),
];
const withPods = (objects: K8sObject[]) => objects.filter((object) => podSpecOf(object) !== undefined);
const find = (objects: K8sObject[], kind: string, name: string) => {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in the rendered overlay`);
  return found;
};
const appContainer = (objects: K8sObject[], app: App): Container => {
  const container = containersOf(find(objects, 'Deployment', app)).find((c) => c.name === 'app');
  if (!container) throw new Error(`Deployment ${app} has no container named app`);
  return container;
};

/** Env var names a container gets: its own env, and the keys of the ConfigMaps and Secrets of its envFrom. */
function envNames(objects: K8sObject[], container: Container): Set<string> {
  const names = new Set((container.env ?? []).map((variable) => variable.name));
  for (const source of container.envFrom ?? []) {
    const reference = source.configMapRef ?? source.secretRef;
    const kind = source.configMapRef ? 'ConfigMap' : 'Secret';
    const target = objects.find((object) => object.kind === kind && object.metadata.name === reference?.name);
    for (const key of Object.keys(target?.data ?? {})) names.add(key);
  }
  return names;
}

function envValue(container: Container, name: string): string | undefined {
  return container.env?.find((variable) => variable.name === name)?.value;
}

/** Kubernetes memory quantities as MiB (the manifests use Mi and Gi). */
function mebibytes(quantity: string): number {
  const match = /^(\d+)(Mi|Gi)$/.exec(quantity);
  if (!match) throw new Error(`unexpected memory quantity ${quantity}`);
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
}

/** Peak RSS per app in the last end-to-end benchmark (bench/results/end-to-end.md, the platform's row). */
function measuredPeakRss(): Record<App, number> {
  const results = readFileSync(path.join(ROOT, 'bench', 'results', 'end-to-end.md'), 'utf8');
  const row = results.split('\n').find((line) => line.startsWith('| platform |'));
  if (!row) throw new Error('bench/results/end-to-end.md has no platform row');
  // The last cell: "transactions 162<br>ad-engine 165<br>notifications 181".
  const cell = row.split('|').at(-2) ?? '';
  return Object.fromEntries(
    appNames.map((app) => [app, Number(new RegExp(`(?:^|>|\\s)${app} (\\d+)`).exec(cell)?.[1])]),
  ) as Record<App, number>;
}

/** The entry names webpack.config.js gives an app's bundle: the files dist/apps/<app>/ will hold. */
function bundleEntries(app: App): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const configure = require(path.join(ROOT, 'webpack.config.js')) as (
    defaults: unknown,
    webpackRef: Record<'ContextReplacementPlugin' | 'DefinePlugin', new (...args: unknown[]) => unknown>,
  ) => { entry: Record<string, string> };
  const config = configure(
    {
      entry: path.join(ROOT, 'apps', app, 'src', 'main.ts'),
      output: { filename: path.join(ROOT, 'dist', 'apps', app, 'main.js') },
      plugins: [],
    },
    { ContextReplacementPlugin: class {}, DefinePlugin: class {} },
  );
  return Object.keys(config.entry);
}

describeWithKubectl.each(['local', 'production'])('kubectl kustomize deploy/k8s/overlays/%s', (overlay) => {
  const objects = render(overlay);

  it('renders only objects that match the Kubernetes API schemas', () => {
    expect(objects.length).toBeGreaterThan(0);
    for (const object of objects) {
      expect(() => validateAgainstSchema(object)).not.toThrow();
    }
  });

  it('gives every container requests and limits for CPU and memory, and runs it as a non-root user', () => {
    for (const object of withPods(objects)) {
      const pod = podSpecOf(object);
      for (const container of containersOf(object)) {
        const where = `${object.kind} ${object.metadata.name}, container ${container.name}`;
        for (const side of ['requests', 'limits'] as const) {
          expect({ where, side, resources: Object.keys(container.resources?.[side] ?? {}).sort() }).toEqual({
            where,
            side,
            resources: ['cpu', 'memory'],
          });
        }
        expect({
          where,
          runAsNonRoot: container.securityContext?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot,
        }).toEqual({
          where,
          runAsNonRoot: true,
        });
        expect({ where, allowPrivilegeEscalation: container.securityContext?.allowPrivilegeEscalation }).toEqual({
          where,
          allowPrivilegeEscalation: false,
        });
      }
    }
  });

  it('probes every long-running container for readiness and liveness', () => {
    const longRunning = objects.filter((object) => ['Deployment', 'StatefulSet'].includes(object.kind));
    expect(longRunning.length).toBeGreaterThanOrEqual(appNames.length);
    for (const object of longRunning) {
      for (const container of containersOf(object)) {
        const where = `${object.kind} ${object.metadata.name}, container ${container.name}`;
        expect({ where, readiness: !!container.readinessProbe, liveness: !!container.livenessProbe }).toEqual({
          where,
          readiness: true,
          liveness: true,
        });
      }
    }
  });

  describe.each(appNames)('%s', (app) => {
    const deployment = find(objects, 'Deployment', app);
    const container = appContainer(objects, app);

    it('sets every variable the app needs in production, with NODE_ENV=production', () => {
      const missing = REQUIRED_ENV[app].filter((name) => !envNames(objects, container).has(name));
      expect(missing).toEqual([]);
      const config = objects.find(
        (object) => object.kind === 'ConfigMap' && object.metadata.name === container.envFrom?.[0]?.configMapRef?.name,
      );
      expect(config?.data?.NODE_ENV).toBe('production');
    });

    it('listens on its own port, probed on the health routes through it', () => {
      expect(envValue(container, 'PORT')).toBe(String(APPS[app]));
      expect(container.ports).toEqual([{ name: 'http', containerPort: APPS[app] }]);
      expect(container.readinessProbe).toMatchObject({ httpGet: { path: '/health/ready', port: 'http' } });
      expect(container.livenessProbe).toMatchObject({ httpGet: { path: '/health/live', port: 'http' } });
      const service = find(objects, 'Service', app);
      expect(service.spec.ports).toEqual([{ name: 'http', port: APPS[app], targetPort: 'http' }]);
      expect(deployment.spec.template.metadata.labels).toMatchObject(service.spec.selector);
    });

    it('leaves migrations to its Job, which runs the bundle that applies them from the same image', () => {
      expect(envValue(container, 'DB_MIGRATIONS_RUN')).toBe('false');
      const job = find(objects, 'Job', `${app}-migrate`);
      const [migrate] = containersOf(job);
      expect(migrate.image).toBe(container.image);
      expect(migrate.command).toEqual(['node', `dist/apps/${app}/migrate.js`]);
      expect(bundleEntries(app)).toContain('migrate');
      const databaseUrl = (c: Container) => c.env?.find((variable) => variable.name === 'DATABASE_URL')?.valueFrom;
      expect(databaseUrl(migrate)).toEqual(databaseUrl(container));
    });

    it('grants the kubelet more time than the app takes to drain', () => {
      const pod = podSpecOf(deployment);
      const preStop = container.lifecycle?.preStop?.exec?.command ?? [];
      expect(preStop[0]).toBe('sleep');
      // runApp exits on its own 2 s after SHUTDOWN_TIMEOUT_MS (libs/bootstrap run-app.ts).
      const drainSeconds = Number(preStop[1]) + Number(envValue(container, 'SHUTDOWN_TIMEOUT_MS')) / 1000 + 2;
      expect(drainSeconds).toBeGreaterThan(2);
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(drainSeconds);
    });

    it('asks for the memory the app was measured to use, and bounds the heap inside the limit', () => {
      const peak = measuredPeakRss()[app];
      expect(peak).toBeGreaterThan(0);
      const requested = mebibytes(container.resources?.requests?.memory ?? '');
      const limit = mebibytes(container.resources?.limits?.memory ?? '');
      expect(requested).toBeGreaterThanOrEqual(peak);
      expect(limit).toBeGreaterThanOrEqual(2 * peak);
      const heap = Number(/--max-old-space-size=(\d+)/.exec(envValue(container, 'NODE_OPTIONS') ?? '')?.[1]);
      expect(heap).toBeLessThan(limit - 128);
      expect(container.securityContext?.readOnlyRootFilesystem).toBe(true);
    });

    it('has a disruption budget and an autoscaler of its own', () => {
      const budget = find(objects, 'PodDisruptionBudget', app);
      expect(deployment.spec.template.metadata.labels).toMatchObject(budget.spec.selector.matchLabels);
      expect(budget.spec.maxUnavailable).toBe(1);
      const autoscaler = find(objects, 'HorizontalPodAutoscaler', app);
      expect(autoscaler.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: app });
      expect(autoscaler.spec.minReplicas).toBeLessThanOrEqual(autoscaler.spec.maxReplicas);
      expect(deployment.spec.replicas).toBe(autoscaler.spec.minReplicas);
    });
  });

  it('refers only to Secrets and keys that exist, or that the overlay says to create', () => {
    const required = new Map<string, Set<string>>();
    for (const object of withPods(objects)) {
      for (const container of containersOf(object)) {
        for (const variable of container.env ?? []) {
          const reference = variable.valueFrom?.secretKeyRef;
          if (!reference || reference.optional) continue;
          required.set(reference.name, (required.get(reference.name) ?? new Set()).add(reference.key));
        }
        for (const source of container.envFrom ?? []) {
          if (source.secretRef) required.set(source.secretRef.name, required.get(source.secretRef.name) ?? new Set());
        }
      }
    }
    const secrets = objects.filter((object) => object.kind === 'Secret');
    if (overlay === 'production') {
      expect(secrets).toEqual([]);
      expect([...required.keys()].sort()).toEqual([...PRODUCTION_SECRETS].sort());
      const kustomization = readFileSync(path.join(K8S, 'overlays', 'production', 'kustomization.yaml'), 'utf8');
      for (const name of PRODUCTION_SECRETS) expect(kustomization).toContain(`#   ${name} `);
      return;
    }
    for (const [name, keys] of required) {
      const secret = secrets.find((object) => object.metadata.name === name);
      expect({ name, found: !!secret }).toEqual({ name, found: true });
      for (const key of keys)
        expect({ name, key, found: key in (secret?.data ?? {}) }).toEqual({ name, key, found: true });
    }
  });
});

describeWithKubectl('the local overlay', () => {
  const objects = render('local');

  it('brings its own PostgreSQL and a three-node RabbitMQ as StatefulSets', () => {
    expect(find(objects, 'StatefulSet', 'postgres').spec.replicas).toBe(1);
    expect(find(objects, 'StatefulSet', 'rabbitmq').spec.replicas).toBe(3);
  });

  it("gives the broker the compose stack's users and permissions, not a copy that drifted", () => {
    const copies = {
      'definitions.json': 'definitions.json',
      'render-definitions.sh': 'render-definitions.sh',
      '20-platform.conf': 'rabbitmq.conf',
    };
    for (const [copy, original] of Object.entries(copies)) {
      expect({ copy, text: readFileSync(path.join(K8S, 'overlays', 'local', 'rabbitmq', copy), 'utf8') }).toEqual({
        copy,
        text: readFileSync(path.join(ROOT, 'ops', 'rabbitmq', original), 'utf8'),
      });
    }
  });
});

describeWithKubectl('the production overlay', () => {
  it('runs no database or broker of its own', () => {
    expect(render('production').filter((object) => object.kind === 'StatefulSet')).toEqual([]);
  });
});
