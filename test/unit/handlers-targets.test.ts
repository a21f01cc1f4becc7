// The target handlers and the notify feed over a fake engine: what the engine's forwarding is
// handed (never the targets while the demo runs: simulated orders are not forwarded), what the
// windows see, and the refusals of the form.
import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../src-main/engine/log.js';
import {
  BridgeHost,
  forwardingOf,
  type ForwardingPort,
} from '../../src-main/shared/bridge-host.js';
import type { NotifyTarget, QuietHours } from '../../src-main/shared/notify.js';
import { MemorySettings } from '../../src-main/shared/settings-port.js';
import { FakeEngine } from '../support/fake-engine.js';
import { platform, SOURCES } from '../support/host-harness.js';

const HOOK: NotifyTarget = { id: 'hook', type: 'webhook', url: 'https://h.example/x', secret: 's' };

function host(opts: { demo?: boolean; failStart?: boolean } = {}) {
  const calls: { targets: string[]; quietHours?: QuietHours; removed?: string[] }[] = [];
  const forwarding: ForwardingPort = {
    setNotify: (targets, quietHours, change) =>
      void calls.push({
        targets: targets.map((t) => t.id),
        ...(quietHours ? { quietHours } : {}),
        ...(change?.removed ? { removed: change.removed } : {}),
      }),
    testTarget: vi.fn(async () => ({ ok: true, detail: 'HTTP 204: ' })),
  };
  const demoSources = [{ id: 'demo-nx', provider: 'nexchange', url: 'ws://127.0.0.1:9/' }];
  const h = new BridgeHost({
    engine: new FakeEngine(SOURCES),
    settings: new MemorySettings({ sources: SOURCES, notify: { targets: [HOOK] } }),
    platform,
    demo: opts.demo ?? false,
    log: silentLogger(),
    forwarding,
    demoControl: {
      start: async () => {
        if (opts.failStart) throw new Error('simulators did not start');
        return { sources: demoSources, run: () => undefined };
      },
      stop: async () => undefined,
    },
  });
  return { h, calls, forwarding };
}

describe('targets reach the engine', () => {
  it('at start, the saved targets', () => {
    const { calls } = host();
    expect(calls).toEqual([{ targets: ['hook'] }]);
  });

  it('never while the demo runs; switching hands them over or takes them back', async () => {
    const { h, calls } = host({ demo: true });
    expect(calls.at(-1)).toEqual({ targets: [] });
    expect(await h.invoke('setDemo', { demo: false })).toEqual({ ok: true });
    expect(calls.at(-1)).toEqual({ targets: ['hook'] });
    expect(await h.invoke('setDemo', { demo: true })).toEqual({ ok: true });
    expect(calls.at(-1)).toEqual({ targets: [] });
    // a target saved during the demo is kept, and not handed over yet
    expect(
      await h.invoke('saveTarget', {
        id: 'ping',
        type: 'ntfy',
        fields: { url: 'https://n.example/t' },
      }),
    ).toEqual({ ok: true });
    expect(calls.at(-1)).toEqual({ targets: [] });
    expect((await h.invoke('snapshot', undefined)).notify?.targets.map((t) => t.id)).toEqual([
      'hook',
      'ping',
    ]);
    h.dispose();
  });

  it('only deleting a target (or renaming it) names it removed; the demo and disabling do not', async () => {
    const { h, calls } = host();
    expect(await h.invoke('setDemo', { demo: true })).toEqual({ ok: true });
    expect(await h.invoke('setDemo', { demo: false })).toEqual({ ok: true });
    expect(
      await h.invoke('saveTarget', {
        replaces: 'hook',
        id: 'hook',
        type: 'webhook',
        enabled: false,
        fields: { url: 'https://h.example/x' },
      }),
    ).toEqual({ ok: true });
    expect(calls.some((c) => c.removed)).toBe(false);
    expect(
      await h.invoke('saveTarget', {
        replaces: 'hook',
        id: 'hook2',
        type: 'webhook',
        fields: { url: 'https://h.example/x' },
      }),
    ).toEqual({ ok: true });
    expect(calls.at(-1)).toEqual({ targets: ['hook2'], removed: ['hook'] });
    expect(await h.invoke('removeTarget', { id: 'hook2' })).toEqual({ ok: true });
    expect(calls.at(-1)).toEqual({ targets: [], removed: ['hook2'] });
    h.dispose();
  });

  it('a demo switch that fails leaves the targets as the mode the engine is in', async () => {
    const { h, calls } = host({ failStart: true });
    expect(await h.invoke('setDemo', { demo: true })).toMatchObject({ ok: false });
    expect(h.isDemo).toBe(false);
    expect(calls.at(-1)).toEqual({ targets: ['hook'] });
  });

  it('Send test goes to the engine with the stored secret and the target enabled', async () => {
    const { h, forwarding } = host();
    await h.invoke('saveTarget', {
      replaces: 'hook',
      id: 'hook',
      type: 'webhook',
      enabled: false,
      fields: { url: 'https://h.example/x' },
    });
    const answer = await h.invoke('testTarget', {
      replaces: 'hook',
      id: 'hook',
      type: 'webhook',
      enabled: false,
      fields: { url: 'https://h.example/x' },
    });
    expect(answer).toEqual({ ok: true, delivered: true, detail: 'HTTP 204: ' });
    expect(forwarding.testTarget).toHaveBeenCalledWith({ ...HOOK, enabled: true });
  });

  it('forwardingOf: the engine when it forwards, else nothing', () => {
    expect(forwardingOf(new FakeEngine(SOURCES))).toBeUndefined();
    const e = { setNotify: () => undefined, testTarget: async () => ({ ok: true, detail: '' }) };
    expect(forwardingOf(e)).toBe(e);
  });
});

describe('target form refusals', () => {
  const cases: [string, unknown, string | undefined][] = [
    ['not an object', 'hook', undefined],
    ['unknown type', { id: 'x', type: 'email', fields: {} }, 'type'],
    [
      'a field of another type',
      { id: 'x', type: 'ntfy', fields: { url: 'https://a/', secret: 'k' } },
      'secret',
    ],
    ['no id', { id: ' ', type: 'ntfy', fields: { url: 'https://a/' } }, 'id'],
    ['no url', { id: 'x', type: 'webhook', fields: {} }, 'url'],
    [
      'a shell line is one argument, but an empty program is refused',
      { id: 'x', type: 'exec', fields: { command: [' '] } },
      'command',
    ],
    [
      'editing a target that is not there',
      { replaces: 'nope', id: 'x', type: 'ntfy', fields: { url: 'https://a/' } },
      'id',
    ],
    [
      'an unknown status',
      { id: 'x', type: 'ntfy', statuses: ['maybe'], fields: { url: 'https://a/' } },
      'statuses',
    ],
  ];
  it.each(cases)('%s', async (_name, req, field) => {
    const { h } = host();
    const res = await h.invoke('saveTarget', req as never);
    expect(res.ok).toBe(false);
    if (field) expect(res).toMatchObject({ field });
  });
});
