// Figure 8: a year of a realm-wide stream in one process, on a fake clock (npm run bench spawns
// this twice and reads one JSON line from stdout). Every simulated day, `--per-day` new orders are
// seen open and then finished (each alerts once); housekeeping runs once every simulated day (the
// engine's timer: hourly) and the state is written weekly. `--retention-days 3650`
// is the same-run baseline: nothing retires within the year, so the store grows with the realm.
//   node --expose-gc dist/bench-build/bench/year.js --days 365 --per-day 500 --retention-days 30
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LEDGER_FILE } from '../src-main/engine/alert-ledger.js';
import { parseConfig } from '../src-main/engine/config.js';
import { Engine, STATE_FILE } from '../src-main/engine/engine.js';
import { silentLogger } from '../src-main/engine/log.js';
import { FilePersistence } from '../src-main/engine/persistence.js';
import type { Source, SourceContext } from '../src-main/engine/source.js';

const { values: args } = parseArgs({
  options: {
    days: { type: 'string', default: '365' },
    'per-day': { type: 'string', default: '500' },
    'retention-days': { type: 'string', default: '30' },
    /** `orangepill` (a realm; ledger horizon a year) or `houdini` (all orders; horizon 7 days). */
    provider: { type: 'string', default: 'orangepill' },
  },
  strict: true,
});
const days = Number(args.days);
const perDay = Number(args['per-day']);
const retentionDays = Number(args['retention-days']);
const SOURCES = {
  orangepill: { id: 'op', provider: 'orangepill', url: 'ws://127.0.0.1:1', realmKey: 'k' },
  houdini: { id: 'hd', provider: 'houdini', url: 'ws://127.0.0.1:1', partnerId: 'p', secret: 's' },
} as const;
const provider = args.provider === 'houdini' ? 'houdini' : 'orangepill';
const HOUR = 60 * 60 * 1000;
const T0 = Date.parse('2026-01-01T00:00:00.000Z');

class RealmSource implements Source {
  readonly provider = provider;
  constructor(
    readonly id: string,
    readonly ctx: SourceContext,
  ) {}
  start(): void {
    this.ctx.connection('connected');
  }
  async stop(): Promise<void> {}
  reconnectNow(): void {}
  watch(): void {}
  unwatch(): void {}
}

const dir = mkdtempSync(join(tmpdir(), 'orderbell-year-'));
const clock = { now: T0 };
let source: RealmSource | undefined;
const { config } = parseConfig({
  retentionDays,
  sources: [SOURCES[provider]],
});
const engine = new Engine({
  config,
  persistence: new FilePersistence(dir),
  log: silentLogger(),
  now: () => new Date(clock.now),
  // Housekeeping is driven by the simulated clock below, not by the real one.
  housekeepingIntervalMs: 2 ** 31 - 1,
  createSource: (cfg, ctx) => (source = new RealmSource(cfg.id, ctx)),
});
let alerts = 0;
engine.on((e) => {
  if (e.kind === 'alert') alerts += 1;
});
await engine.start();
const realm = source as RealmSource;
const started = performance.now();
let peakStore = 0;
let peakLedger = 0;
let rewrites = 0;
let peakSampledRss = 0;
for (let day = 0; day < days; day += 1) {
  for (let hour = 0; hour < 24; hour += 1) {
    clock.now = T0 + (day * 24 + hour) * HOUR;
    const n = Math.floor(perDay / 24) + (hour < perDay % 24 ? 1 : 0);
    for (let i = 0; i < n; i += 1) {
      const orderId = `op-${day}-${hour}-${i}`;
      realm.ctx.order({ orderId, status: 'processing', providerStatus: 'pending' });
      realm.ctx.order({ orderId, status: 'completed', providerStatus: 'succeeded' });
    }
  }
  await new Promise((r) => setImmediate(r)); // the ledger commits the day's alerts (one append)
  // Once a simulated day (the engine's timer does it hourly; a day is the retention's grain).
  const kept = await engine.housekeep();
  if (kept.ledger.rewritten) rewrites += 1;
  peakStore = Math.max(peakStore, engine.store.size);
  peakLedger = Math.max(peakLedger, engine.ledger.size);
  // The state file weekly: the retention-off baseline writes tens of MB each time, and daily it
  // would take most of the figure's time for no extra information.
  if (day % 7 === 6 || day === days - 1) await engine.flush();
  // A year squeezed into a minute makes garbage 500 times faster than a real day, whose idle time
  // the collector uses: one full collection per simulated day (as the soak samples after one), so
  // the peak is what the engine keeps, not how far the heap may run ahead of the collector.
  globalThis.gc?.();
  const rssMB = process.memoryUsage().rss / 2 ** 20;
  peakSampledRss = Math.max(peakSampledRss, rssMB);
}
await engine.stop();
const size = (name: string) => statSync(join(dir, name)).size;
const result = {
  provider,
  days,
  perDay,
  retentionDays,
  alerts,
  storeOrders: engine.store.size,
  peakStoreOrders: peakStore,
  ledgerEntries: engine.ledger.size,
  peakLedgerEntries: peakLedger,
  ledgerRewrites: rewrites,
  stateFileMB: size(STATE_FILE) / 1e6,
  ledgerFileMB: size(LEDGER_FILE) / 1e6,
  /** The highest RSS after each simulated day's collection. */
  peakRssMB: peakSampledRss,
  /** Including garbage between collections (Linux reports maxRSS in KB). */
  maxRssMB: process.resourceUsage().maxRSS / 1024,
  heapUsedMB: process.memoryUsage().heapUsed / 2 ** 20,
  seconds: (performance.now() - started) / 1000,
};
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify(result)}\n`);
