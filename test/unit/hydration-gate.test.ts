// The SatoriEx hydration gate (its "WebSocket events" page): stream events that arrive while the
// REST snapshot is loading wait, then apply on top of it in arrival order.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HydrationGate } from '../../src-main/engine/hydration-gate.js';
import { silentLogger } from '../../src-main/engine/log.js';
import { SatoriexProtocol } from '../../src-main/engine/providers/satoriex.js';
import type { OrderReportOptions, SourceContext } from '../../src-main/engine/source.js';
import type { WsLink } from '../../src-main/engine/supervisor.js';
import type { OrderUpdate } from '../../src-main/engine/types.js';

describe('HydrationGate', () => {
  it.each([
    ['open gate: immediate', false, ['a', 'b'], ['a', 'b'], ['a', 'b']],
    ['closed gate: held until open, in order', true, ['a', 'b'], [], ['a', 'b']],
  ] as const)('%s', (_name, close, pushed, beforeOpen, afterOpen) => {
    const seen: string[] = [];
    const gate = new HydrationGate();
    if (close) gate.close();
    for (const p of pushed) gate.run(() => seen.push(p));
    expect(seen).toEqual(beforeOpen);
    gate.open();
    expect(seen).toEqual(afterOpen);
    gate.run(() => seen.push('late'));
    expect(seen.at(-1)).toBe('late');
  });
});

describe('SatoriEx adapter behind the gate', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('a fill pushed while /me/orders is loading lands after the snapshot, not before', async () => {
    let answer: (r: Response) => void = () => {};
    vi.stubGlobal('fetch', () => new Promise<Response>((resolve) => (answer = resolve)));
    const calls: Array<[OrderUpdate, OrderReportOptions | undefined]> = [];
    let baselined = false;
    const ctx: SourceContext = {
      sourceId: 'sx',
      provider: 'satoriex',
      log: silentLogger(),
      connection: () => {},
      order: (u, o) => calls.push([u, o]),
      activity: () => {},
      heard: () => {},
      rtt: () => {},
      protocolError: () => {},
      watched: () => [],
      baselined: () => baselined,
      markBaselined: () => (baselined = true),
    };
    const link: WsLink = {
      send: () => {},
      sendJson: () => {},
      ready: () => {},
      authFailed: () => {},
    };
    const p = new SatoriexProtocol(
      {
        id: 'sx',
        provider: 'satoriex',
        url: 'ws://127.0.0.1:1/ws',
        token: 't',
        markets: ['m'],
        marketData: false,
        restUrl: 'http://127.0.0.1:1',
        enabled: true,
      },
      ctx,
    );
    p.onOpen(link);
    const hydrated = p.afterReady();
    p.onMessage(JSON.stringify({ type: 'order', order_id: 'X', market_id: 'm', status: 'filled' }));
    expect(calls).toHaveLength(0);
    answer(
      new Response(JSON.stringify({ orders: [{ order_id: 'X', market_id: 'm', status: 'open' }] })),
    );
    await hydrated;
    expect(calls.map(([u, o]) => [u.orderId, u.providerStatus, o?.origin ?? 'stream'])).toEqual([
      ['X', 'open', 'rest'],
      ['X', 'filled', 'stream'],
    ]);
    p.dispose();
  });
});
