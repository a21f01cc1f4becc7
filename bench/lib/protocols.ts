// What the bench needs to know per protocol: how to start its simulator, the headless config source
// that watches it, the raw baseline client for it, order lifecycles that end in a terminal status,
// and how to recognise an order update in each stdout stream (cheap prefix check during the run,
// full parse afterwards).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHoudiniSimulator } from '../../src-main/simulator/houdini.js';
import { startNexchangeSimulator } from '../../src-main/simulator/nexchange.js';
import { startOzzobitSimulator } from '../../src-main/simulator/ozzobit.js';
import type { Simulator } from '../../src-main/simulator/types.js';
import { updateKey, type Update } from './flood.js';
import { BENCH_BUILD } from './proc.js';

export type BenchProtocol = 'houdini' | 'nexchange' | 'ozzobit';

export interface ProtocolKit {
  name: BenchProtocol;
  start(): Promise<Simulator>;
  /** The config source (docs/config.md) the headless child watches the simulator with. */
  source(sim: Simulator, orders: readonly string[]): Record<string, unknown>;
  /** Node arguments of the raw baseline client process. */
  rawArgs(sim: Simulator, orders: readonly string[], dir: string): string[];
  /** Native statuses of order i, ending in a terminal one. */
  lifecycle(i: number): Update['status'][];
  /** Cheap test run on every raw line during the flood. */
  rawIsOrder(line: string): boolean;
  rawKey(line: string): string | undefined;
  /** The simulator has every subscription `clients` clients need for `orders`. */
  subscribed(sim: Simulator, orders: readonly string[], clients: number): boolean;
}

const cred = (sim: Simulator, field: string): string => {
  const v = sim.credentials[field];
  if (v === undefined) throw new Error(`${sim.provider} simulator has no ${field}`);
  return v;
};

function writeSpec(dir: string, name: string, spec: unknown): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(spec));
  return path;
}

const HOUDINI_TERMINALS = [4, 5, 6, 7, 8];
const NEXCHANGE_TERMINALS = [16, 0, 8, 7];
const OZZOBIT_TERMINALS = ['ORDER_COMPLETED', 'ORDER_FAILED', 'ORDER_CANCELLED'];

export const houdini: ProtocolKit = {
  name: 'houdini',
  start: () => startHoudiniSimulator(),
  source: (sim) => ({
    id: 'hd',
    provider: 'houdini',
    url: sim.url,
    restUrl: sim.restUrl,
    partnerId: cred(sim, 'partnerId'),
    secret: cred(sim, 'secret'),
    orders: [],
  }),
  rawArgs: (sim, _orders, dir) => [
    join(BENCH_BUILD, 'clients', 'raw-ws.js'),
    writeSpec(dir, 'raw-houdini', {
      url: sim.url,
      headers: { Authorization: `${cred(sim, 'partnerId')}:${cred(sim, 'secret')}` },
      send: [JSON.stringify({ type: 'subscribe' })],
    }),
  ],
  lifecycle: (i) => [-1, 0, 1, 2, 3, HOUDINI_TERMINALS[i % HOUDINI_TERMINALS.length] ?? 4],
  rawIsOrder: (line) => line.startsWith('{"type":"order_update"'),
  rawKey: (line) => {
    const m = JSON.parse(line) as { data?: { houdiniId?: string; status?: number } };
    return m.data?.houdiniId === undefined
      ? undefined
      : updateKey(m.data.houdiniId, m.data.status ?? '');
  },
  subscribed: (sim, _orders, clients) =>
    sim.received.filter((f) => f.text.includes('"type":"subscribe"')).length >= clients,
};

export const nexchange: ProtocolKit = {
  name: 'nexchange',
  start: () => startNexchangeSimulator(),
  source: (sim, orders) => ({ id: 'nx', provider: 'nexchange', url: sim.url, orders: [...orders] }),
  rawArgs: (sim, orders, dir) => [
    join(BENCH_BUILD, 'clients', 'raw-ws.js'),
    writeSpec(dir, 'raw-nexchange', {
      url: sim.url,
      send: orders.map((ref) => JSON.stringify({ subscribe: ref })),
    }),
  ],
  lifecycle: (i) => [11, 12, 13, 14, 15, NEXCHANGE_TERMINALS[i % NEXCHANGE_TERMINALS.length] ?? 16],
  rawIsOrder: (line) => line.startsWith('{"unique_reference"'),
  rawKey: (line) => {
    const m = JSON.parse(line) as { unique_reference?: string; status?: number };
    return m.unique_reference === undefined
      ? undefined
      : updateKey(m.unique_reference, m.status ?? '');
  },
  subscribed: (sim, orders, clients) =>
    sim.received.filter((f) => f.text.startsWith('{"subscribe"')).length >= orders.length * clients,
};

export const ozzobit: ProtocolKit = {
  name: 'ozzobit',
  start: () => startOzzobitSimulator(),
  source: (sim) => ({
    id: 'oz',
    provider: 'ozzobit',
    url: sim.url,
    apiKey: cred(sim, 'apiKey'),
    env: 'STAGING',
    orders: [],
    allOrders: true,
  }),
  rawArgs: (sim, _orders, dir) => [
    join(BENCH_BUILD, 'clients', 'raw-sio.js'),
    writeSpec(dir, 'raw-ozzobit', {
      url: sim.url,
      auth: { apiKey: cred(sim, 'apiKey'), env: 'STAGING' },
    }),
  ],
  lifecycle: (i) => [
    'ORDER_CREATED',
    'ORDER_PROCESSING',
    OZZOBIT_TERMINALS[i % OZZOBIT_TERMINALS.length] ?? 'ORDER_COMPLETED',
  ],
  rawIsOrder: (line) => line.startsWith('{"event":"ORDER_'),
  rawKey: (line) => {
    const m = JSON.parse(line) as { orderId?: string; event?: string };
    return m.orderId === undefined ? undefined : updateKey(m.orderId, m.event ?? '');
  },
  subscribed: (sim, _orders, clients) =>
    sim.received.filter((f) => f.text.startsWith('subscribe:partner')).length >= clients,
};

export const KITS: Record<BenchProtocol, ProtocolKit> = { houdini, nexchange, ozzobit };

/** Headless NDJSON: order lines start with the kind (the engine builds them kind first). */
export function headlessIsOrder(line: string): boolean {
  return line.startsWith('{"kind":"order"');
}

export function headlessKey(line: string): string | undefined {
  const e = JSON.parse(line) as { orderId?: string; providerStatus?: string };
  return e.orderId === undefined ? undefined : updateKey(e.orderId, e.providerStatus ?? '');
}
