// The window's own commands, called as registered handlers: its snapshot, opening a link.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChangeBatch } from '../../src-main/shared/bridge.js';
import { parts } from '../support/host-harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('window handlers', () => {
  it('snapshot: every part of the state, at the current seq; the caller is then streamed', async () => {
    const p = parts({ prefs: { sound: false } });
    p.engine.order('nx', 'N1', 'pending', '11');
    p.ctx.problems.add('settings damaged');
    const got: ChangeBatch[] = [];
    const win = { send: (b: ChangeBatch) => got.push(b) };
    p.ctx.stream.attach(win);
    const snap = await p.handlers.snapshot(undefined, win);
    expect(snap).toMatchObject({
      seq: p.ctx.stream.seq,
      demo: false,
      demoAvailable: false,
      heldAlerts: [],
      problems: ['settings damaged'],
      prefs: { sound: false },
      platform: { kind: 'web' },
    });
    expect(snap.sources.map((s) => s.id)).toEqual(['nx', 'hd', 'op']);
    expect(snap.orders.map((o) => o.orderId)).toEqual(['N1']);
    p.engine.order('nx', 'N1', 'processing', '13');
    p.ctx.stream.flush();
    expect(got).toHaveLength(1);
    expect(got[0]!.seq).toBe(snap.seq + 1);
  });

  it('snapshot leaves out orders of a source no longer configured', async () => {
    const p = parts();
    p.engine.order('op', 'X1', 'pending', 'p');
    await p.engine.removeSource('op');
    const snap = await p.handlers.snapshot(undefined);
    expect(snap.orders.map((o) => o.source)).not.toContain('op');
  });

  // [url, error expected (undefined: opened)]
  const links: [unknown, string | undefined][] = [
    ['https://example.com/a?b=1', undefined],
    ['http://example.com/', 'only https links are opened'],
    ['file:///etc/passwd', 'only https links are opened'],
    ['not a url', 'not a valid URL'],
    [42, 'missing url'],
  ];
  it.each(links)('openExternal %j', async (url, error) => {
    const opened: string[] = [];
    const p = parts({ openExternal: (u) => void opened.push(u) });
    const res = await p.handlers.openExternal({ url });
    expect(res).toEqual(error === undefined ? { ok: true } : { ok: false, error, field: 'url' });
    expect(opened).toEqual(error === undefined ? [url] : []);
  });

  it('openExternal is refused where the face cannot open links', async () => {
    const p = parts();
    expect(await p.handlers.openExternal({ url: 'https://example.com/' })).toEqual({
      ok: false,
      error: 'opening links is not available here',
      field: 'url',
    });
  });
});
