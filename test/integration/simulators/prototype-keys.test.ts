// Order frames whose status is a prototype key ("constructor", "__proto__", "toString") reach clients
// of all five simulators exactly as sent, so the adapters' status tables can be tested against them:
// as raw frames everywhere (sendRaw), and through setStatus (stream and REST) for the providers whose
// statuses are names. n.exchange and Houdini statuses are number codes, so there a prototype-key
// status exists only as a raw frame; setStatus refuses it.
import { afterEach, describe, expect, test } from 'vitest';
import { startHoudiniSimulator } from '../../../src-main/simulator/houdini.js';
import { startNexchangeSimulator } from '../../../src-main/simulator/nexchange.js';
import { startOrangepillSimulator } from '../../../src-main/simulator/orangepill.js';
import { startOzzobitSimulator } from '../../../src-main/simulator/ozzobit.js';
import { startSatoriexSimulator } from '../../../src-main/simulator/satoriex.js';
import type { Simulator } from '../../../src-main/simulator/types.js';
import {
  byType,
  getJson,
  ioConnected,
  ozClient,
  runCleanups,
  track,
  until,
  wsClient,
  type Json,
  type WsClient,
} from './raw-clients.js';

afterEach(runCleanups);

const KEYS = ['constructor', '__proto__', 'toString'] as const;

/** A connected raw client's received text frames (socket.io: each payload as JSON text). */
interface Receiver {
  texts(): string[];
}

function wsReceiver(client: WsClient): Receiver {
  return { texts: () => client.texts };
}

const PROVIDERS: {
  name: string;
  start(): Promise<Simulator>;
  connect(sim: Simulator): Promise<Receiver>;
  frame(key: string): string;
}[] = [
  {
    name: 'nexchange',
    start: () => startNexchangeSimulator(),
    connect: async (sim) => {
      const c = await wsClient(sim.url);
      c.send({ subscribe: 'P1' });
      await c.inbox.take((m) => m.subscribed === 'P1');
      return wsReceiver(c);
    },
    frame: (key) =>
      `{"unique_reference":"P1","status":"${key}","status_name":[[16,"${key}"]],"message_type":"order_status_update"}`,
  },
  {
    name: 'houdini',
    start: () => startHoudiniSimulator(),
    connect: async (sim) => {
      const auth = `${sim.credentials.partnerId}:${sim.credentials.secret}`;
      const c = await wsClient(sim.url, { authorization: auth });
      await c.inbox.take(byType('welcome'));
      return wsReceiver(c);
    },
    frame: (key) => `{"type":"order_update","data":{"houdiniId":"P1","status":"${key}"}}`,
  },
  {
    name: 'orangepill',
    start: () => startOrangepillSimulator(),
    connect: async (sim) => {
      const c = await wsClient(sim.url);
      c.send({ type: 'subscribe', realm: sim.credentials.realmKey });
      await c.inbox.take(byType('subscribe'));
      return wsReceiver(c);
    },
    frame: (key) => `{"type":"notification","event":"${key}","data":"P1","timestamp":"1"}`,
  },
  {
    name: 'satoriex',
    start: () => startSatoriexSimulator(),
    connect: async (sim) => wsReceiver(await wsClient(`${sim.url}?token=${sim.credentials.token}`)),
    frame: (key) => `{"type":"order","order_id":"P1","market_id":"mkt_abc123","status":"${key}"}`,
  },
  {
    name: 'ozzobit',
    start: () => startOzzobitSimulator(),
    connect: async (sim) => {
      const c = ozClient(sim.url, { apiKey: sim.credentials.apiKey ?? '' });
      const texts: string[] = [];
      c.socket.on('order:update', (data: unknown) => texts.push(JSON.stringify(data)));
      await ioConnected(c);
      return { texts: () => texts };
    },
    frame: (key) => `{"event":"${key}","orderId":"P1"}`,
  },
];

describe('prototype-key statuses', () => {
  test.each(PROVIDERS)('$name: sendRaw delivers them byte for byte', async (p) => {
    const sim = track(await p.start());
    const client = await p.connect(sim);
    for (const key of KEYS) sim.sendRaw(p.frame(key));
    const last = p.frame(KEYS[2]);
    await until(() => client.texts().includes(last), 'the last frame');
    const frames = client.texts().filter((t) => t.includes('"P1"') && !t.includes('subscribed'));
    expect(frames).toEqual(KEYS.map(p.frame));
  });

  test.each(['nexchange', 'houdini'])('%s: setStatus refuses a non-number status', async (name) => {
    const p = PROVIDERS.find((row) => row.name === name);
    const sim = track(await (p as (typeof PROVIDERS)[number]).start());
    for (const key of KEYS) expect(() => sim.setStatus('P1', key)).toThrow(TypeError);
  });

  test('ozzobit: setStatus carries them on the stream and in REST', async () => {
    const sim = track(await startOzzobitSimulator({ ozzobitRestStatus: 'state' }));
    const c = ozClient(sim.url, { apiKey: sim.credentials.apiKey ?? '' });
    await ioConnected(c);
    c.socket.emit('subscribe:partner');
    await until(() => sim.received.length === 1, 'the subscription to arrive');
    for (const key of KEYS) {
      sim.setStatus(`o-${key}`, key);
      expect(await c.inbox.take((m) => m.orderId === `o-${key}`)).toMatchObject({ event: key });
      const { body } = await getJson(`${sim.restUrl ?? ''}/api/v2/orders/o-${key}`, {
        authorization: `Bearer ${sim.credentials.apiKey ?? ''}`,
      });
      // Not a REST state either: passed through as it is.
      expect(body).toMatchObject({ orderId: `o-${key}`, status: key });
      expect(sim.orders().get(`o-${key}`)).toBe(key);
    }
  });

  test('satoriex: setStatus carries them on the market channel and in /me/orders', async () => {
    const sim = track(await startSatoriexSimulator());
    const token = sim.credentials.token ?? '';
    const c = await wsClient(`${sim.url}?token=${token}`);
    c.send({ type: 'subscribe', market_id: 'mkt_abc123' });
    await c.inbox.take(byType('subscribed'));
    for (const key of KEYS) {
      sim.setStatus(`ord_${key}`, key);
      expect(await c.inbox.take(byType('order'))).toMatchObject({
        order_id: `ord_${key}`,
        status: key,
      });
    }
    const { body } = await getJson(`${sim.restUrl ?? ''}/api/v1/me/orders`, {
      authorization: `Bearer ${token}`,
    });
    expect((body.orders as Json[]).map((o) => o.status)).toEqual([...KEYS]);
  });

  test('orangepill: setStatus carries them as notification events', async () => {
    const sim = track(await startOrangepillSimulator({ orangepillShape: 'flat' }));
    const c = await wsClient(sim.url);
    c.send({ type: 'subscribe', realm: sim.credentials.realmKey });
    await c.inbox.take(byType('subscribe'));
    for (const key of KEYS) {
      sim.setStatus('E1', key);
      expect(await c.inbox.take(byType('notification'))).toMatchObject({ event: key, data: 'E1' });
    }
    expect(sim.orders().get('E1')).toBe('toString');
  });
});
