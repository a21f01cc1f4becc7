// "Start at login". macOS and Windows: app.setLoginItemSettings. Linux has no such API in Electron:
// an XDG autostart entry (~/.config/autostart/orderbell.desktop) does the same job.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { app } from 'electron';
import { PRODUCT_NAME } from './identity.js';

export function autostartFile(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'autostart', 'orderbell.desktop');
}

/** The command that starts this app again (the AppImage itself when run from one). */
function launchCommand(env: NodeJS.ProcessEnv): string {
  const exe = env.APPIMAGE || process.execPath;
  return `"${exe.replace(/(["`$\\])/g, '\\$1')}" --hidden`;
}

export function getStartAtLogin(platform: NodeJS.Platform = process.platform): boolean {
  if (platform === 'linux') return existsSync(autostartFile());
  return app.getLoginItemSettings().openAtLogin;
}

export function setStartAtLogin(on: boolean, platform: NodeJS.Platform = process.platform): void {
  if (platform !== 'linux') {
    app.setLoginItemSettings({ openAtLogin: on, args: ['--hidden'] });
    return;
  }
  const file = autostartFile();
  if (!on) {
    rmSync(file, { force: true });
    return;
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(
    file,
    [
      '[Desktop Entry]',
      'Type=Application',
      `Name=${PRODUCT_NAME}`,
      `Exec=${launchCommand(process.env)}`,
      'X-GNOME-Autostart-enabled=true',
      'NoDisplay=false',
      '',
    ].join('\n'),
  );
}
