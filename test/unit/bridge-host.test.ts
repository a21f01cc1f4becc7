// The host itself: dispatch (unknown commands refused, failures answered, never thrown) and the
// attach/snapshot handshake. The jobs it delegates are tested where they live: change-stream,
// source-view, source-builder, alert-router and handlers-*.test.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { COMMAND_CHANNELS } from '../../src-main/shared/bridge.js';
import { changes, setup } from '../support/host-harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('BridgeHost dispatch', () => {
  it('refuses unknown commands and non-https external links', async () => {
    const { host } = setup();
    expect(await host.dispatch('format', {})).toMatchObject({ ok: false });
    expect(await host.dispatch('openExternal', { url: 'file:///etc/passwd' })).toMatchObject({
      ok: false,
      field: 'url',
    });
  });

  it('a handler that throws is answered as a failure with its message', async () => {
    const { engine, host } = setup();
    engine.upsertSource = () => Promise.reject(new Error('engine stopped'));
    const res = await host.invoke('saveSource', {
      id: 'nx2',
      provider: 'nexchange',
      fields: { url: 'ws://x/' },
    });
    expect(res).toEqual({ ok: false, error: 'engine stopped' });
  });

  it.each([
    ['a number', 42],
    ['an inherited name', 'toString'],
    ['undefined', undefined],
  ])('an unknown command name (%s) is refused', async (_name, command) => {
    const { host } = setup();
    expect(await host.dispatch(command, {})).toMatchObject({ ok: false });
  });

  it('every command of the contract has a handler', async () => {
    const { host } = setup();
    for (const command of Object.keys(COMMAND_CHANNELS)) {
      const res = (await host.dispatch(command, {})) as { error?: string } | undefined;
      expect(res?.error ?? '').not.toMatch(/^unknown command/);
    }
  });

  it('focusOrder and addProblem reach the windows that hold a snapshot; dispose flushes', async () => {
    const { host, batches, client } = setup();
    const detach = host.attach(client);
    host.focusOrder('nx', 'N0');
    await host.invoke('snapshot', undefined, client);
    host.focusOrder('nx', 'N1');
    host.addProblem('settings damaged');
    host.dispose();
    expect(changes(batches)).toEqual([
      { type: 'focus-order', source: 'nx', orderId: 'N1' },
      { type: 'problems', problems: ['settings damaged'] },
    ]);
    detach();
  });
});
