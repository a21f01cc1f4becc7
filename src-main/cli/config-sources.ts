// Web mode with `--config FILE`: the file is the one source of truth for its sources and their
// secrets. The window may still edit them (add, edit, remove, switch to the demo and back), but
// those edits live in memory for this run only: writing them to settings.json would copy the
// file's credentials there in clear (and with secrets removed, the copy would be broken sources
// for a later `--ui` run). The same holds for the file's `notify` targets and `quietHours` when it
// has them. Everything else (prefs, held alerts, the demo choice) is stored as usual.
import type { SourceConfig } from '../engine/config.js';
import type { NotificationPrefs } from '../shared/bridge.js';
import type { AlertLine } from '../shared/lines.js';
import type { NotifySettings, SettingsPort } from '../shared/settings-port.js';

/** What the window shows once, on the first edit of a source. */
export function configEditProblem(file: string): string {
  return `sources come from ${file}: changes made in the window last until Orderbell stops; edit the file to keep them`;
}

export class ConfigFileSources implements SettingsPort {
  private sources: SourceConfig[];
  private told = false;

  private notify: NotifySettings | undefined;

  /**
   * `onFirstEdit` runs once, when the window first changes the sources (or the file's targets).
   * `notify`: the file's targets and quiet hours, when it has any; else the settings' are used.
   */
  constructor(
    private readonly inner: SettingsPort,
    sources: readonly SourceConfig[],
    private readonly onFirstEdit: () => void,
    notify?: NotifySettings,
  ) {
    this.sources = structuredClone([...sources]);
    this.notify = notify && structuredClone(notify);
  }

  getNotify(): NotifySettings | undefined {
    return this.notify ? structuredClone(this.notify) : this.inner.getNotify();
  }
  setNotify(notify: NotifySettings): Promise<void> | void {
    if (!this.notify) return this.inner.setNotify(notify);
    this.notify = structuredClone(notify);
    this.tellOnce();
  }

  getSources(): SourceConfig[] {
    return structuredClone(this.sources);
  }
  setSources(sources: SourceConfig[]): void {
    this.sources = structuredClone(sources);
    this.tellOnce();
  }

  private tellOnce(): void {
    if (this.told) return;
    this.told = true;
    this.onFirstEdit();
  }

  getPrefs(): NotificationPrefs {
    return this.inner.getPrefs();
  }
  setPrefs(prefs: NotificationPrefs): Promise<void> | void {
    return this.inner.setPrefs(prefs);
  }
  getHeldAlerts(): AlertLine[] {
    return this.inner.getHeldAlerts();
  }
  setHeldAlerts(alerts: AlertLine[]): Promise<void> | void {
    return this.inner.setHeldAlerts(alerts);
  }
  getDemo(): boolean | undefined {
    return this.inner.getDemo();
  }
  setDemo(demo: boolean): Promise<void> | void {
    return this.inner.setDemo(demo);
  }
}
