// The tray icon: image and tooltip from trayPicture (fixed order attention > active > idle), and a
// context menu set with setContextMenu on every platform (Linux AppIndicator hosts never deliver a
// right-click, and GNOME hides icons that have no menu). The Tray lives in a module-level variable:
// one held only by a local is garbage-collected and vanishes after a while.
import { join } from 'node:path';
import {
  Menu,
  nativeImage,
  Tray,
  type MenuItemConstructorOptions,
  type NativeImage,
} from 'electron';
import { pauseUntil } from '../shared/alert-policy.js';
import { PAUSED_UNTIL_RESUMED } from '../shared/bridge.js';
import {
  pausedWords,
  sourceName,
  sourceStateWords,
  trayPicture,
  type TrayInput,
  type TrayState,
} from './tray-picture.js';

export interface TrayActions {
  openWindow(): void;
  /** null resumes notifications; otherwise epoch ms (PAUSED_UNTIL_RESUMED = until resumed). */
  pause(until: number | null): void;
  reconnectAll(): void;
  getStartAtLogin(): boolean;
  setStartAtLogin(on: boolean): void;
  quit(): void;
}

/** Module-level strong reference (see the header). */
let tray: Tray | undefined;

export function currentTray(): Tray | undefined {
  return tray;
}

/** macOS: template images (black + alpha, tinted by the menu bar); elsewhere colour PNGs. */
export function trayIconFile(
  state: TrayState,
  platform: NodeJS.Platform = process.platform,
): string {
  return platform === 'darwin' ? `tray-${state}Template.png` : `tray-${state}.png`;
}

/** 08:00 tomorrow, local time (the same rule as the window's pause choice). */
export function tomorrowMorning(now: number): number {
  return pauseUntil('tomorrow', now);
}

export const HOUR_MS = 3_600_000;

export class TrayController {
  private readonly images = new Map<TrayState, NativeImage>();
  private state: TrayState | undefined;
  private tooltip = '';
  private menuKey = '';

  constructor(
    private readonly assetsDir: string,
    private readonly actions: TrayActions,
    private readonly platform: NodeJS.Platform = process.platform,
    /** The clock the pause choices count from (tests pass a fixed one). */
    private readonly now: () => number = Date.now,
  ) {}

  /** Creates the tray (once) and draws `input`. */
  update(input: TrayInput): void {
    const picture = trayPicture(input);
    if (!tray || tray.isDestroyed()) {
      tray = new Tray(this.image(picture.state));
      this.state = picture.state;
      this.tooltip = '';
      this.menuKey = '';
      // Left click opens the window where the platform delivers clicks (Windows, macOS).
      tray.on('click', () => this.actions.openWindow());
    } else if (picture.state !== this.state) {
      tray.setImage(this.image(picture.state));
      this.state = picture.state;
    }
    if (picture.tooltip !== this.tooltip) {
      tray.setToolTip(picture.tooltip);
      this.tooltip = picture.tooltip;
    }
    const template = this.menuTemplate(input);
    // Rebuilding an identical menu makes some Linux panels flicker: only set it when it changed.
    const key = JSON.stringify(template, (k, v: unknown) => (k === 'click' ? undefined : v));
    if (key !== this.menuKey) {
      tray.setContextMenu(Menu.buildFromTemplate(template));
      this.menuKey = key;
    }
  }

  get currentState(): TrayState | undefined {
    return this.state;
  }

  destroy(): void {
    tray?.destroy();
    tray = undefined;
  }

  menuTemplate(input: TrayInput): MenuItemConstructorOptions[] {
    const a = this.actions;
    const paused = pausedWords(input.pausedUntil, input.now);
    const sources: MenuItemConstructorOptions[] =
      input.sources.length === 0
        ? [{ label: 'No sources yet', enabled: false }]
        : input.sources.map((s) => ({
            label: `${sourceName(s)}: ${sourceStateWords(s)}`,
            click: () => a.openWindow(),
          }));
    return [
      { label: 'Open Orderbell', click: () => a.openWindow() },
      ...(input.demo ? [{ label: 'Demo mode (simulated providers)', enabled: false }] : []),
      { type: 'separator' },
      ...sources,
      { type: 'separator' },
      paused
        ? { label: `Resume notifications (${paused})`, click: () => a.pause(null) }
        : {
            label: 'Pause notifications',
            submenu: [
              { label: 'For 1 hour', click: () => a.pause(this.now() + HOUR_MS) },
              { label: 'Until tomorrow 08:00', click: () => a.pause(tomorrowMorning(this.now())) },
              { label: 'Until I resume', click: () => a.pause(PAUSED_UNTIL_RESUMED) },
            ],
          },
      { label: 'Reconnect all', click: () => a.reconnectAll() },
      {
        label: 'Start at login',
        type: 'checkbox',
        checked: a.getStartAtLogin(),
        click: (item) => a.setStartAtLogin(item.checked),
      },
      { type: 'separator' },
      { label: 'Quit Orderbell', click: () => a.quit() },
    ];
  }

  private image(state: TrayState): NativeImage {
    let image = this.images.get(state);
    if (!image) {
      image = nativeImage.createFromPath(join(this.assetsDir, trayIconFile(state, this.platform)));
      if (this.platform === 'darwin') image.setTemplateImage(true);
      this.images.set(state, image);
    }
    return image;
  }
}
