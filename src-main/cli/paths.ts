// Where per-user data lives, matching Electron's app.getPath('userData') for productName Orderbell,
// so the headless CLI and the desktop app share one state folder by default.
import { homedir } from 'node:os';
import { join } from 'node:path';

export const PRODUCT_NAME = 'Orderbell';

export function userDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): string {
  if (platform === 'win32')
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', PRODUCT_NAME);
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), PRODUCT_NAME);
}

export function defaultStateDir(): string {
  return join(userDataDir(), 'state');
}
