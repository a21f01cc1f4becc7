// The window's target settings: list (no secret, only set / not set), add, edit (an empty secret
// keeps the stored one; a moved url asks for it again), enable / disable, remove, quiet hours, a
// target that gave up, and "Send test" showing the answer of a real loopback HTTP server reached
// through the real bridge host and engine.
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../src-main/engine/config.js';
import { Engine } from '../../src-main/engine/engine.js';
import { silentLogger } from '../../src-main/engine/log.js';
import { FilePersistence } from '../../src-main/engine/persistence.js';
import type { Bridge, NotifyView, TargetView } from '../../src-main/shared/bridge';
import { BridgeHost } from '../../src-main/shared/bridge-host.js';
import { SecretMask } from '../../src-main/shared/secret-mask.js';
import { MemorySettings } from '../../src-main/shared/settings-port.js';
import TargetsSettings from '../../src-renderer/components/TargetsSettings.svelte';
import { startRecordingServer } from '../support/recording-server.js';
import { fakeBridge, mountContext } from './fixtures';

const HOOK: TargetView = {
  id: 'hook',
  type: 'webhook',
  enabled: true,
  settings: { url: 'https://hooks.example/x' },
  secretsSet: { secret: true },
};
const RUN: TargetView = {
  id: 'run',
  type: 'exec',
  enabled: false,
  settings: { command: ['/usr/bin/logger', '-t', 'orderbell'] },
  secretsSet: {},
};

function notify(patch: Partial<NotifyView> = {}): NotifyView {
  return { targets: [HOOK, RUN], quietHours: null, failures: [], ...patch };
}

function mount(bridge = fakeBridge().bridge, view = notify()) {
  return render(TargetsSettings, { context: mountContext({ bridge, snapshot: { notify: view } }) });
}

const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('TargetsSettings', () => {
  it('lists targets with where they send, enabled state and "secret set", never a value', () => {
    mount();
    const section = screen.getByRole('region', { name: 'Send alerts elsewhere' });
    expect(section.textContent).toContain('https://hooks.example/x');
    expect(section.textContent).toContain('secret set');
    expect(section.textContent).toContain('/usr/bin/logger -t orderbell');
    expect((screen.getByLabelText('Enabled hook') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText('Enabled run') as HTMLInputElement).checked).toBe(false);
  });

  it('adds a webhook with its secret', async () => {
    const { bridge, invoke } = fakeBridge();
    mount(bridge, notify({ targets: [] }));
    expect(screen.getByText('No targets: alerts show on this computer only.')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Add a target' }));
    const form = screen.getByRole('form', { name: 'Add a target' });
    await fireEvent.input(within(form).getByLabelText('Id'), { target: { value: 'chat' } });
    await fireEvent.input(within(form).getByLabelText('URL'), {
      target: { value: 'https://chat.example/hook' },
    });
    await fireEvent.input(within(form).getByLabelText(/Signing secret/), {
      target: { value: 's3cr3t' },
    });
    await fireEvent.click(within(form).getByLabelText('failed'));
    await fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    expect(invoke).toHaveBeenCalledWith('saveTarget', {
      id: 'chat',
      type: 'webhook',
      enabled: true,
      statuses: ['failed'],
      fields: { url: 'https://chat.example/hook', secret: 's3cr3t' },
    });
    await vi.waitFor(() => expect(screen.queryByRole('form')).toBeNull());
  });

  it('adds an exec target: one argument per line, never a shell line', async () => {
    const { bridge, invoke } = fakeBridge();
    mount(bridge, notify({ targets: [] }));
    await fireEvent.click(screen.getByRole('button', { name: 'Add a target' }));
    const form = screen.getByRole('form', { name: 'Add a target' });
    await fireEvent.change(within(form).getByLabelText('Type'), { target: { value: 'exec' } });
    await fireEvent.input(within(form).getByLabelText('Id'), { target: { value: 'log' } });
    await fireEvent.input(within(form).getByLabelText(/Command/), {
      target: { value: '/usr/bin/logger\n-t\norder bell\n' },
    });
    await fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    expect(invoke).toHaveBeenCalledWith('saveTarget', {
      id: 'log',
      type: 'exec',
      enabled: true,
      fields: { command: ['/usr/bin/logger', '-t', 'order bell'] },
    });
  });

  it('edits: an empty secret keeps the stored one; a moved url asks for it again', async () => {
    const { bridge, invoke } = fakeBridge();
    mount(bridge);
    await fireEvent.click(screen.getAllByRole('button', { name: 'Edit' })[0] as HTMLElement);
    const form = screen.getByRole('form', { name: 'Edit target hook' });
    const secret = within(form).getByLabelText(/Signing secret/) as HTMLInputElement;
    expect(secret.value).toBe('');
    expect(form.textContent).toContain('set; leave empty to keep');
    await fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    expect(invoke).toHaveBeenLastCalledWith('saveTarget', {
      replaces: 'hook',
      id: 'hook',
      type: 'webhook',
      enabled: true,
      fields: { url: 'https://hooks.example/x', secret: '' },
    });
    await fireEvent.click(screen.getAllByRole('button', { name: 'Edit' })[0] as HTMLElement);
    const again = screen.getByRole('form', { name: 'Edit target hook' });
    await fireEvent.input(within(again).getByLabelText('URL'), {
      target: { value: 'https://elsewhere.example/x' },
    });
    await fireEvent.click(within(again).getByRole('button', { name: 'Save' }));
    expect(within(again).getByText('Enter it again: the url changed.')).toBeTruthy();
    expect(invoke).toHaveBeenCalledTimes(1);
  });

  it('shows the main side refusal under the field it names', async () => {
    const { bridge } = fakeBridge({
      saveTarget: () => ({ ok: false, error: 'a target "hook" exists already', field: 'id' }),
    });
    mount(bridge);
    await fireEvent.click(screen.getByRole('button', { name: 'Add a target' }));
    const form = screen.getByRole('form', { name: 'Add a target' });
    await fireEvent.input(within(form).getByLabelText('Id'), { target: { value: 'hook' } });
    await fireEvent.input(within(form).getByLabelText('URL'), {
      target: { value: 'https://x.example/' },
    });
    await fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    expect(await within(form).findByText('a target "hook" exists already')).toBeTruthy();
  });

  it('enable / disable and remove (after a confirmation)', async () => {
    const { bridge, invoke } = fakeBridge();
    mount(bridge);
    await fireEvent.click(screen.getByLabelText('Enabled hook'));
    expect(invoke).toHaveBeenCalledWith('saveTarget', {
      replaces: 'hook',
      id: 'hook',
      type: 'webhook',
      enabled: false,
      fields: { url: 'https://hooks.example/x' },
    });
    await fireEvent.click(screen.getAllByRole('button', { name: 'Remove' })[1] as HTMLElement);
    expect(invoke).not.toHaveBeenCalledWith('removeTarget', expect.anything());
    await fireEvent.click(screen.getByRole('button', { name: 'Confirm remove' }));
    expect(invoke).toHaveBeenCalledWith('removeTarget', { id: 'run' });
  });

  it('a target that gave up is shown', () => {
    mount(
      undefined,
      notify({
        failures: [
          {
            target: 'hook',
            source: 'nx',
            orderId: 'N1',
            status: 'failed',
            at: '2025-06-01T12:00:00Z',
          },
        ],
      }),
    );
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('hook');
    expect(alert.textContent).toContain('gave up on order N1');
  });

  it('quiet hours: saved with `except`, turned off', async () => {
    const { bridge, invoke } = fakeBridge();
    mount(bridge, notify({ quietHours: { from: '23:00', to: '06:30', except: ['failed'] } }));
    expect(screen.getByText(/Quiet from 23:00 to 06:30/)).toBeTruthy();
    expect((screen.getByLabelText('Quiet from') as HTMLInputElement).value).toBe('23:00');
    await fireEvent.input(screen.getByLabelText('Quiet to'), { target: { value: '07:00' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save quiet hours' }));
    expect(invoke).toHaveBeenCalledWith('setQuietHours', {
      quietHours: { from: '23:00', to: '07:00', except: ['failed'] },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Turn off' }));
    expect(invoke).toHaveBeenCalledWith('setQuietHours', { quietHours: null });
  });

  it('Send test shows the answer of a real server, through the host and the engine', async () => {
    const hook = await startRecordingServer();
    cleanups.push(() => hook.close());
    const down = await startRecordingServer({ down: true });
    cleanups.push(() => down.close());
    const mask = new SecretMask();
    const engine = new Engine({
      config: parseConfig({ sources: [] }).config,
      persistence: new FilePersistence(mkdtempSync(join(tmpdir(), 'orderbell-rt-'))),
      log: silentLogger(),
      mask,
      forward: { timeZone: 'UTC' },
    });
    await engine.start();
    cleanups.push(() => engine.stop());
    const settings = new MemorySettings({
      notify: {
        targets: [
          { id: 'hook', type: 'webhook', url: hook.url, secret: 'stored-secret' },
          { id: 'down', type: 'ntfy', url: down.url },
        ],
      },
    });
    const host = new BridgeHost({
      engine,
      settings,
      log: silentLogger(),
      demo: false,
      platform: { kind: 'web', notificationsSupported: false, secretsProtected: false },
      mask,
      forwarding: engine,
    });
    cleanups.push(() => host.dispose());
    const snap = await host.invoke('snapshot', undefined);
    const bridge: Pick<Bridge, 'invoke'> = { invoke: (c, r) => host.invoke(c, r) };
    render(TargetsSettings, {
      context: mountContext({ bridge, snapshot: { notify: snap.notify ?? notify() } }),
    });
    const [first, second] = screen.getAllByRole('button', { name: 'Send test' });
    await fireEvent.click(first as HTMLElement);
    expect((await screen.findByText('HTTP 200: ok')).closest('p')?.textContent).toMatch(
      /^\s*Delivered:/,
    );
    expect(hook.requests).toHaveLength(1);
    expect(hook.requests[0]?.headers['x-orderbell-signature']).toMatch(/^sha256=/);
    await fireEvent.click(second as HTMLElement);
    expect((await screen.findByText(/^HTTP 503/)).closest('p')?.textContent).toMatch(
      /^\s*Not delivered:/,
    );
  });
});
