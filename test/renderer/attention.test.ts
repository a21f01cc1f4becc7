// The attention view on the real bridge host (FakeEngine underneath, the attention list in a temp
// state folder): unread count in the tab and the document title, mark read, mark all read, and the
// list as it was after the host restarts on the same folder.
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flushSync } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../src-main/engine/log';
import type { Bridge, ChangeBatch } from '../../src-main/shared/bridge';
import { BridgeHost, type BridgeClient } from '../../src-main/shared/bridge-host';
import { AttentionFile } from '../../src-main/shared/host/attention-file';
import { MemorySettings } from '../../src-main/shared/settings-port';
import App from '../../src-renderer/App.svelte';
import type { BridgeConnection } from '../../src-renderer/lib/connect';
import { AppState } from '../../src-renderer/lib/state.svelte';
import { alertLine, FakeEngine } from '../support/fake-engine';
import { mountApp, record, sourceView } from './fixtures';
import { platform, SOURCES } from '../support/host-harness';

const dirs: string[] = [];
const running: { host: BridgeHost; file: AttentionFile }[] = [];

afterEach(async () => {
  document.body.innerHTML = '';
  for (const r of running.splice(0)) {
    r.host.dispose();
    await r.file.flush();
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A host on `dir` and the whole window attached to it, as web mode wires them. */
async function start(dir: string) {
  const engine = new FakeEngine(SOURCES);
  const file = new AttentionFile(dir);
  const host = new BridgeHost({
    engine,
    settings: new MemorySettings({ sources: SOURCES }),
    platform,
    demo: false,
    log: silentLogger(),
    attention: file,
    flushIntervalMs: 5,
  });
  running.push({ host, file });
  let listener: (batch: ChangeBatch) => void = () => {};
  const client: BridgeClient = { send: (batch) => listener(batch) };
  const detach = host.attach(client);
  const bridge: Bridge = {
    invoke: (command, request) => host.invoke(command, request, client),
    onChanges(l) {
      listener = l;
      return () => {};
    },
  };
  const connection: BridgeConnection = {
    bridge,
    kind: 'web',
    onState(l) {
      queueMicrotask(() => l('open'));
      return () => {};
    },
  };
  const app = new AppState((fn) => setTimeout(fn, 0));
  const view = render(App, { connection, app });
  await vi.waitFor(() => expect(app.loaded).toBe(true));
  flushSync();
  return {
    engine,
    app,
    file,
    async stop() {
      detach();
      view.unmount();
      host.dispose();
      await file.flush();
      running.splice(
        running.findIndex((r) => r.host === host),
        1,
      );
    },
  };
}

const tab = (name: string) => screen.getByRole('tab', { name: new RegExp(`^${name}`) });
const entry = (orderId: string) =>
  document.querySelector<HTMLElement>(`.entry[data-attention-order="${orderId}"]`);

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'orderbell-attention-'));
  dirs.push(d);
  return d;
}

describe('attention view', () => {
  it('counts unread alerts in the tab and the title, marks read, and keeps them across a restart', async () => {
    const dir = tempDir();
    const first = await start(dir);
    first.engine.store.apply(
      'nx',
      'nexchange',
      {
        orderId: 'N1',
        status: 'failed',
        providerStatus: '7',
        details: { reason: 'PAYMENT_DECLINED' },
      },
      new Date().toISOString(),
    );
    first.engine.emit(alertLine('nx', 'N1', 'failed'));
    first.engine.emit(alertLine('hd', 'H1', 'completed', 'houdini'));
    await vi.waitFor(() => expect(first.app.unread).toBe(2));
    flushSync();
    expect(document.title).toBe('(2) Orderbell');
    expect(within(tab('Attention')).getByText('2')).toBeTruthy();

    await fireEvent.click(tab('Attention'));
    expect(document.querySelector('.summary')?.textContent).toBe('2 unread alerts');
    // The reason, in words, on the entry itself.
    expect(entry('N1')?.textContent).toContain('payment declined');
    expect(entry('N1')?.classList.contains('unread')).toBe(true);

    await fireEvent.click(screen.getByRole('button', { name: 'Mark read: N1' }));
    await vi.waitFor(() => expect(first.app.unread).toBe(1));
    flushSync();
    expect(entry('N1')?.classList.contains('unread')).toBe(false);
    expect(entry('H1')?.classList.contains('unread')).toBe(true);
    expect(document.title).toBe('(1) Orderbell');
    await first.stop();

    // A new host on the same state folder: the same list, the same read marks.
    const second = await start(dir);
    expect(second.app.attention.map((e) => [e.alert.orderId, e.read])).toEqual([
      ['N1', true],
      ['H1', false],
    ]);
    flushSync();
    expect(document.title).toBe('(1) Orderbell');
    await fireEvent.click(tab('Attention'));
    await fireEvent.click(screen.getByRole('button', { name: 'Mark all read' }));
    await vi.waitFor(() => expect(second.app.unread).toBe(0));
    flushSync();
    expect(document.title).toBe('Orderbell');
    expect(screen.getByText('All alerts read')).toBeTruthy();
    expect(within(tab('Attention')).queryByText(/\d/)).toBeNull();
    await second.stop();

    const third = await start(dir);
    expect(third.app.unread).toBe(0);
    expect(third.app.attention).toHaveLength(2);
  });

  it('lists orders that need the user with the reason, apart from the alerts', async () => {
    const { engine } = await start(tempDir());
    engine.order('nx', 'KYC-1', 'on_hold', '9');
    engine.order('nx', 'REF-1', 'processing', '6');
    engine.order('nx', 'OK-1', 'processing', '13');
    await fireEvent.click(tab('Attention'));
    await vi.waitFor(() => {
      flushSync();
      expect(document.querySelectorAll('.need')).toHaveLength(2);
    });
    const needs = screen.getByRole('list', { name: 'Orders that need you' });
    expect(within(needs).getByText('identity check (KYC) needed')).toBeTruthy();
    expect(within(needs).getByText('refund started')).toBeTruthy();
    expect(within(needs).queryByText('OK-1')).toBeNull();
  });
});

describe('the collapsed row', () => {
  it('says why an order failed, and marks the ones that need the user', async () => {
    await mountApp({
      sources: [sourceView('nx', 'nexchange')],
      orders: [
        {
          ...record('F-1', 'failed', { providerStatus: '7' }),
          details: { reason: 'PAYMENT_DECLINED' },
        },
        record('K-1', 'on_hold', { providerStatus: '9' }),
        record('P-1', 'processing', { providerStatus: '13' }),
      ],
    });
    const row = (id: string) => document.querySelector<HTMLElement>(`[data-order-id="${id}"]`);
    expect(row('F-1')?.querySelector('.why')?.textContent).toBe('payment declined');
    expect(row('K-1')?.querySelector('.why')?.textContent).toBe('identity check (KYC) needed');
    expect(row('K-1')?.classList.contains('needs')).toBe(true);
    expect(row('P-1')?.querySelector('.why')).toBeNull();
    expect(row('P-1')?.classList.contains('needs')).toBe(false);
  });
});
