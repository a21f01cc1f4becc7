// Forwarding-target secrets in the desktop app, handled like a source's: sealed with safeStorage at
// rest, never in what the window receives, never in the logs; the window sees "set" / "not set".
// And a target that gave up shows in the window until it delivers again.
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NotifyView } from '../../src-main/shared/bridge.js';

vi.mock('electron', () => import('../mocks/electron.js'));
vi.mock('electron-store', () => import('../mocks/electron-store.js'));

const electron = await import('../mocks/electron.js');
const { SecretBox } = await import('../../src-main/app/secrets.js');
const { DesktopSettings } = await import('../../src-main/app/settings-store.js');
const { startHarness, eventFrom, lastWindow, changesSent } =
  await import('../mocks/app-harness.js');
type Harness = import('../mocks/app-harness.js').Harness;
const { COMMAND_CHANNELS } = await import('../../src-main/shared/bridge.js');

const HOOK_SECRET = 'whsec-desktop-0123456789';
const NTFY_TOKEN = 'tk_desktop_ntfy_token_ABC';

function filesText(dir: string): string {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((path) => statSync(path).isFile())
    .map((path) => readFileSync(path, 'utf8'))
    .join('\n');
}

beforeEach(() => electron.resetElectron());

describe('DesktopSettings: notify targets', () => {
  const NOTIFY = {
    targets: [
      { id: 'hook', type: 'webhook' as const, url: 'https://hooks.example/x', secret: HOOK_SECRET },
      { id: 'ping', type: 'ntfy' as const, url: 'https://ntfy.example/t', token: NTFY_TOKEN },
      { id: 'run', type: 'exec' as const, command: ['/usr/bin/logger', 'orderbell'] },
    ],
    quietHours: { from: '22:00', to: '07:00' },
  };

  it('seals each target secret on disk and reads it back in clear', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orderbell-settings-'));
    const s = new DesktopSettings({ dir, secrets: new SecretBox() });
    expect(s.getNotify()).toBeUndefined();
    await s.setNotify(NOTIFY);
    expect(electron.safeStorage.encrypted).toBe(2);
    const onDisk = filesText(dir);
    expect(onDisk).not.toContain(HOOK_SECRET);
    expect(onDisk).not.toContain(NTFY_TOKEN);
    expect(onDisk).toContain('https://hooks.example/x');
    expect(new DesktopSettings({ dir, secrets: new SecretBox() }).getNotify()).toEqual(NOTIFY);
  });

  it('a target secret that cannot be decrypted is reported by target and field, not value', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orderbell-settings-'));
    await new DesktopSettings({ dir, secrets: new SecretBox() }).setNotify(NOTIFY);
    const broken = new SecretBox({
      isEncryptionAvailable: () => true,
      encryptString: () => Buffer.from(''),
      decryptString: () => {
        throw new Error('bad key');
      },
    });
    const again = new DesktopSettings({ dir, secrets: broken });
    expect(again.getNotify()?.targets[0]).not.toHaveProperty('secret');
    expect(again.problems).toContain(
      'notify target "hook": the stored secret could not be decrypted (keyring changed?); enter it again',
    );
  });
});

describe('target settings through the desktop shell', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.desktop.stop();
    h = undefined;
  });

  function notifyViews(win: ReturnType<typeof lastWindow>): NotifyView[] {
    return changesSent(win).flatMap((c) => {
      const change = c as { type: string; notify?: NotifyView };
      return change.type === 'notify' && change.notify ? [change.notify] : [];
    });
  }

  it('saved targets: secrets sealed, never in the window or the logs; the window sees which are set', async () => {
    h = await startHarness({ demo: false, hidden: false });
    const win = lastWindow();
    await electron.ipcMain.invoke(COMMAND_CHANNELS.snapshot, eventFrom(win), undefined);
    const save = (req: unknown) =>
      electron.ipcMain.invoke(COMMAND_CHANNELS.saveTarget, eventFrom(win), req);
    expect(
      await save({
        id: 'hook',
        type: 'webhook',
        fields: { url: 'https://hooks.example/x', secret: HOOK_SECRET },
      }),
    ).toEqual({ ok: true });
    expect(
      await save({
        id: 'ping',
        type: 'ntfy',
        fields: { url: 'https://ntfy.example/t', token: NTFY_TOKEN },
      }),
    ).toEqual({ ok: true });
    // edit without the secret: kept
    expect(
      await save({
        replaces: 'hook',
        id: 'hook',
        type: 'webhook',
        enabled: false,
        fields: { url: 'https://hooks.example/x' },
      }),
    ).toEqual({ ok: true });
    // Send test without forwarding in this (fake) engine: refused plainly, nothing leaks
    const test = await electron.ipcMain.invoke(COMMAND_CHANNELS.testTarget, eventFrom(win), {
      id: 'ping',
      type: 'ntfy',
      fields: { url: 'https://ntfy.example/t', token: NTFY_TOKEN },
    });
    expect(test).toMatchObject({ ok: false });
    await vi.waitFor(() => expect(notifyViews(win).length).toBeGreaterThanOrEqual(3));
    await h.desktop.settings.flush();

    const snap = (await electron.ipcMain.invoke(
      COMMAND_CHANNELS.snapshot,
      eventFrom(win),
      undefined,
    )) as { notify: NotifyView };
    expect(snap.notify.targets.map((t) => [t.id, t.enabled, t.secretsSet])).toEqual([
      ['hook', false, { secret: true }],
      ['ping', true, { token: true }],
    ]);
    const toWindow = JSON.stringify([snap, win.webContents.sent, test]);
    const logs = h.lines.join('');
    const onDisk = filesText(h.userData);
    for (const secret of [HOOK_SECRET, NTFY_TOKEN]) {
      expect(toWindow).not.toContain(secret);
      expect(logs).not.toContain(secret);
      expect(onDisk).not.toContain(secret);
    }
    expect(h.desktop.settings.getNotify()?.targets[0]).toMatchObject({ secret: HOOK_SECRET });
  });

  it('a target that gave up shows in the window until it delivers again', async () => {
    h = await startHarness({ demo: false, hidden: false });
    const win = lastWindow();
    await electron.ipcMain.invoke(COMMAND_CHANNELS.saveTarget, eventFrom(win), {
      id: 'hook',
      type: 'webhook',
      fields: { url: 'https://hooks.example/x' },
    });
    await electron.ipcMain.invoke(COMMAND_CHANNELS.snapshot, eventFrom(win), undefined);
    const delivery = (state: 'failed' | 'delivered', orderId: string) =>
      h?.engine.emit({
        kind: 'delivery',
        source: 'nx',
        provider: 'nexchange',
        target: 'hook',
        orderId,
        status: 'failed',
        state,
        attempt: 40,
        at: '2025-06-01T12:00:00.000Z',
      });
    delivery('failed', 'N1');
    await vi.waitFor(() =>
      expect(notifyViews(win).at(-1)?.failures).toEqual([
        {
          target: 'hook',
          source: 'nx',
          orderId: 'N1',
          status: 'failed',
          at: '2025-06-01T12:00:00.000Z',
        },
      ]),
    );
    const snap = (await electron.ipcMain.invoke(
      COMMAND_CHANNELS.snapshot,
      eventFrom(win),
      undefined,
    )) as { notify: NotifyView };
    expect(snap.notify.failures).toHaveLength(1);
    delivery('delivered', 'N2');
    await vi.waitFor(() => expect(notifyViews(win).at(-1)?.failures).toEqual([]));
  });
});
