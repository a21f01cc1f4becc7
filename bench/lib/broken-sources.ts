// Seven sources the loopback simulators refuse: bad keys on the Orangepill and Houdini simulators and
// an n.exchange address nobody serves, plus orders saved earlier for each, so the order list under the
// broken source bar has rows. One fixture for the e2e test of broken sources and for the README
// screenshot of them (bench/screenshots.ts), so both show the same window.
import { createServer } from 'node:net';
import type { OrderRecord } from '../../src-main/shared/orders.js';
import type { Simulator } from '../../src-main/simulator/types.js';

/** A loopback port that was free a moment ago and has no listener now. */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

/** Config sources (docs/config.md): three Orangepill, two Houdini, two n.exchange, all refused. */
export function brokenSources(
  op: Simulator,
  hd: Simulator,
  gonePort: number,
): Record<string, unknown>[] {
  return [
    ...['op-1', 'op-2', 'op-3'].map((id) => ({
      id,
      provider: 'orangepill',
      url: op.url,
      realmKey: 'not-the-realm-key',
    })),
    ...['hd-1', 'hd-2'].map((id) => ({
      id,
      provider: 'houdini',
      url: hd.url,
      partnerId: hd.credentials.partnerId,
      secret: 'not-the-secret',
    })),
    ...['nx-1', 'nx-2'].map((id) => ({
      id,
      provider: 'nexchange',
      url: `ws://127.0.0.1:${gonePort}/orders/`,
    })),
  ];
}

/** Order `n` of a source, still processing, first seen `n` minutes before `now`. */
export function savedOrder(
  source: string,
  provider: OrderRecord['provider'],
  n: number,
  now = Date.now(),
): OrderRecord {
  const at = new Date(now - n * 60_000).toISOString();
  return {
    source,
    provider,
    orderId: `${source.toUpperCase()}-ORDER-${n}`,
    status: 'processing',
    providerStatus: 'processing',
    terminal: false,
    firstSeenAt: at,
    updatedAt: at,
    history: [{ status: 'processing', providerStatus: 'processing', at }],
  };
}

/** Two saved orders per source, numbered so the list has a stable order. */
export function savedOrders(
  sources: readonly { id: string; provider: OrderRecord['provider'] }[],
  now = Date.now(),
): OrderRecord[] {
  return sources.flatMap((s, i) =>
    [0, 1].map((k) => savedOrder(s.id, s.provider, i * 2 + k + 1, now)),
  );
}
