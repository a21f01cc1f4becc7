// electron-builder.yml, checked the way electron-builder itself checks it (its own loader and its
// own JSON-schema validator over app-builder-lib/scheme.json), since the packaging binary cannot be
// fetched here. Also: the appId is the AppUserModelID main.ts sets, and every file it names exists.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_USER_MODEL_ID, PRODUCT_NAME } from '../../src-main/app/identity.js';

const root = join(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);

interface DebugLogger {
  isEnabled: boolean;
  add(key: string, value: unknown): void;
}
type Config = Record<string, unknown>;
const configModule = require('app-builder-lib/out/util/config/config.js') as {
  getConfig(
    projectDir: string,
    configPath: string | null,
    fromOptions: Config | null,
  ): Promise<Config>;
  validateConfiguration(config: Config, logger: DebugLogger): Promise<void>;
};
const logger: DebugLogger = { isEnabled: false, add: () => undefined };

async function load(): Promise<Config> {
  return configModule.getConfig(root, join(root, 'electron-builder.yml'), null);
}

describe('electron-builder.yml', () => {
  it('passes electron-builder’s own schema validation', async () => {
    const config = await load();
    await expect(configModule.validateConfiguration(config, logger)).resolves.toBeUndefined();
  });

  it('the validator really rejects a bad file (typo, wrong type)', async () => {
    const config = await load();
    await expect(
      configModule.validateConfiguration({ ...config, appID: 'x' }, logger),
    ).rejects.toThrow(/Invalid configuration object/);
    await expect(
      configModule.validateConfiguration({ ...config, nsis: { oneClick: 'maybe' } }, logger),
    ).rejects.toThrow(/Invalid configuration object/);
  });

  it('appId equals the AppUserModelID used in main.ts; productName matches', async () => {
    const config = await load();
    expect(config.appId).toBe(APP_USER_MODEL_ID);
    expect(config.productName).toBe(PRODUCT_NAME);
    const main = readFileSync(join(root, 'src-main', 'app', 'main.ts'), 'utf8');
    expect(main).toContain('app.setAppUserModelId(APP_USER_MODEL_ID)');
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Config;
    expect(pkg.productName).toBe(PRODUCT_NAME);
    expect(pkg.main).toBe('dist/src-main/app/main.js');
  });

  it('targets AppImage + deb, dmg and nsis, ships the app, renderer, preload and icons', async () => {
    const config = (await load()) as {
      files: { filter: string[] }[];
      linux: { target: string[]; category: string; maintainer: string; icon: string };
      mac: { target: string; icon: string };
      win: { target: string; icon: string };
      asarUnpack: string[];
    };
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.linux.category).toBe('Utility');
    expect(config.linux.maintainer).toMatch(/<.+@.+>/);
    expect(config.mac.target).toBe('dmg');
    expect(config.win.target).toBe('nsis');
    expect(config.files.flatMap((f) => f.filter)).toEqual(
      expect.arrayContaining(['dist/**/*', 'dist-renderer/**/*', 'assets/**/*', 'package.json']),
    );
    expect(config.asarUnpack).toContain('assets/**');
    for (const icon of [config.linux.icon, config.mac.icon, config.win.icon]) {
      expect(existsSync(join(root, icon)), icon).toBe(true);
    }
  });

  it('every tray icon the app asks for exists, in 1x and @2x, colour and template', () => {
    for (const state of ['idle', 'active', 'attention']) {
      for (const name of [`tray-${state}`, `tray-${state}Template`]) {
        for (const suffix of ['', '@2x']) {
          const file = join(root, 'assets', `${name}${suffix}.png`);
          expect(existsSync(file), file).toBe(true);
          const png = readFileSync(file);
          expect(png.subarray(1, 4).toString()).toBe('PNG');
          expect(png.readUInt32BE(16)).toBe(suffix ? 32 : 16); // IHDR width
        }
      }
    }
    expect(readFileSync(join(root, 'assets', 'icon-512.png')).readUInt32BE(16)).toBe(512);
    expect(readFileSync(join(root, 'assets', 'icon-256.png')).readUInt32BE(16)).toBe(256);
  });

  it('asks macOS for alert-style notifications, so the action buttons show', async () => {
    // Banners hide "Open order" and "Mute 1 h" under "Options" (docs/desktop-alerts.md).
    const config = (await load()) as { mac: { extendInfo?: Record<string, unknown> } };
    expect(config.mac.extendInfo).toEqual(
      expect.objectContaining({ NSUserNotificationAlertStyle: 'alert' }),
    );
  });

  it('declares the orderbell:// scheme main.ts registers (macOS bundle, Linux desktop file)', async () => {
    const config = (await load()) as { protocols: { name: string; schemes: string[] }[] };
    const { LINK_SCHEME } = await import('../../src-main/app/deep-link.js');
    expect(config.protocols).toEqual([
      expect.objectContaining({ schemes: [LINK_SCHEME], name: expect.any(String) }),
    ]);
    const main = readFileSync(join(root, 'src-main', 'app', 'main.ts'), 'utf8');
    expect(main).toContain('app.setAsDefaultProtocolClient(LINK_SCHEME)');
  });
});
