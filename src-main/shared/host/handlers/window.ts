// Commands about the window itself: its full snapshot (after which it is streamed the changes),
// and opening a link in the user's browser.
import { STATUS_TABLES } from '../../../engine/providers/index.js';
import { PROVIDERS } from '../../../engine/types.js';
import type { BridgeSnapshot, StatusLabels } from '../../bridge.js';
import { fail, isRecord, ok } from '../command-result.js';
import type { HostContext } from '../context.js';
import type { BridgeClient } from '../ports.js';
import type { Handlers } from './types.js';

/** Provider code → the provider's own label, for every provider. */
const STATUS_LABELS: StatusLabels = Object.fromEntries(
  PROVIDERS.map((p) => [
    p,
    Object.fromEntries(Object.entries(STATUS_TABLES[p]).map(([code, v]) => [code, v.label])),
  ]),
) as StatusLabels;

type Deps = Pick<
  HostContext,
  | 'engine'
  | 'platform'
  | 'stream'
  | 'sources'
  | 'alerts'
  | 'attention'
  | 'problems'
  | 'demo'
  | 'openExternal'
  | 'notify'
>;

/** Full state for a window; `from` (an attached client) is then streamed the changes after it. */
export function snapshotFor(ctx: Deps, from?: BridgeClient): BridgeSnapshot {
  const snap = ctx.engine.snapshot();
  const configs = new Map(ctx.engine.sourceConfigs().map((c) => [c.id, c]));
  const sources = ctx.sources.snapshotViews(snap.sources, configs);
  const seq = ctx.stream.snapshotTaken(from);
  return {
    seq,
    demo: ctx.demo.active,
    demoAvailable: ctx.demo.control !== undefined,
    statusLabels: STATUS_LABELS,
    sources,
    // Orders of a source removed meanwhile stay in the store until pruned: not shown.
    orders: snap.orders.filter((o) => configs.has(o.source)),
    activity: snap.activity,
    alerts: snap.alerts,
    heldAlerts: ctx.alerts.heldAlerts,
    attention: ctx.attention.all,
    problems: ctx.problems.all(),
    prefs: ctx.alerts.prefs,
    notify: ctx.notify.view(),
    platform: { ...ctx.platform },
  };
}

export function windowHandlers(ctx: Deps): Pick<Handlers, 'snapshot' | 'openExternal'> {
  return {
    async snapshot(_req, from) {
      return snapshotFor(ctx, from);
    },

    async openExternal(req) {
      if (!isRecord(req) || typeof req.url !== 'string') return fail('missing url', 'url');
      let url: URL;
      try {
        url = new URL(req.url);
      } catch {
        return fail('not a valid URL', 'url');
      }
      if (url.protocol !== 'https:') return fail('only https links are opened', 'url');
      if (!ctx.openExternal) return fail('opening links is not available here', 'url');
      await ctx.openExternal(url.toString());
      return ok;
    },
  };
}
