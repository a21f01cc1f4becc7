// Where per-user data lives, matching Electron's app.getPath('userData') for productName Orderbell,
// so the headless CLI and the desktop app share one state folder by default.
import { homedir } from 'node:os';
import { join } from 'node:path';

export const PRODUCT_NAME = 'Orderbell';

/**
 * Overrides the per-user folder of the CLI and web mode (tests, portable installs). Unset: the
 * platform's folder below, the desktop app's.
 */
export const USER_DATA_ENV = 'ORDERBELL_USER_DATA';

export function userDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): string {
  const override = env[USER_DATA_ENV];
  if (override) return override;
  if (platform === 'win32')
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', PRODUCT_NAME);
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), PRODUCT_NAME);
}

export function defaultStateDir(): string {
  return join(userDataDir(), 'state');
}

/**
 * Where a web-mode run that starts in the demo keeps its engine state: inside the state folder but
 * apart from it, so demo orders never reach a real source that reuses a demo id like `nx`.
 */
export function demoStateDir(stateDir: string): string {
  return join(stateDir, 'demo');
}
