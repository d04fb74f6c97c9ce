// Types of start-environment.js (plain JavaScript, so that `npm start` needs no compiler).
export interface StartedApp {
  name: 'transactions' | 'ad-engine' | 'notifications';
  portVariable: string;
  defaultPort: number;
}
export interface SharedEnvironment {
  env: Record<string, string | undefined>;
  ports: Record<StartedApp['name'], number>;
}
export const APPS: readonly StartedApp[];
export function sharedEnvironment(
  dotEnvText: string | undefined,
  processEnv: Record<string, string | undefined>,
  options?: { dev?: boolean },
): SharedEnvironment;
export function appEnvironment(shared: SharedEnvironment, app: StartedApp): Record<string, string | undefined>;
