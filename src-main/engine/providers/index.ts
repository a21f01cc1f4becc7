// The engine's provider registry: one descriptor per provider, each exported at the end of its
// adapter file. Shared code reads providers only through this table (and the window's half in
// shared/providers.ts), never by importing an adapter; leaving a provider out is a compile error.
import type { z } from 'zod';
import { mapProviders, type ProviderKey } from '../../shared/providers.js';
import { CatchUp, type CatchUpSettings } from '../catch-up.js';
import type { SourceConfig } from '../config.js';
import type { Source, SourceContext } from '../source.js';
import type { StatusTable } from '../status.js';
import { WsSupervisor, type SupervisorOptions } from '../supervisor.js';
import type { EngineProvider } from './descriptor.js';
import { HOUDINI_PROVIDER } from './houdini.js';
import { NEXCHANGE_PROVIDER } from './nexchange.js';
import { ORANGEPILL_PROVIDER } from './orangepill.js';
import { OZZOBIT_PROVIDER, type OzzobitTuning } from './ozzobit.js';
import { SATORIEX_PROVIDER } from './satoriex.js';

/** Knobs tests and benchmarks turn (short heartbeats, fast polls); production uses the defaults. */
export interface AdapterTuning {
  supervisor?: SupervisorOptions;
  ozzobit?: OzzobitTuning;
  satoriexPollMs?: number;
  houdiniPageSize?: number;
  catchUp?: Partial<CatchUpSettings>;
}

export const ENGINE_PROVIDERS = {
  nexchange: NEXCHANGE_PROVIDER,
  ozzobit: OZZOBIT_PROVIDER,
  houdini: HOUDINI_PROVIDER,
  orangepill: ORANGEPILL_PROVIDER,
  satoriex: SATORIEX_PROVIDER,
} satisfies Record<ProviderKey, EngineProvider<z.ZodObject>>;

export const STATUS_TABLES: Readonly<Record<ProviderKey, StatusTable>> = mapProviders(
  (_, key) => ENGINE_PROVIDERS[key].statuses,
);

export function createSource(cfg: SourceConfig, ctx: SourceContext, tuning: AdapterTuning): Source {
  // Widened on purpose: `cfg` and the descriptor belong to the same provider, which the union of
  // descriptor types cannot express.
  const provider: EngineProvider<z.ZodObject> = ENGINE_PROVIDERS[cfg.provider];
  const { connect } = provider;
  const catchUp = new CatchUp(ctx, {
    available: catchUpAvailable(provider, cfg),
    settings: {
      ...(provider.catchUp.pollMs !== undefined ? { pollMs: provider.catchUp.pollMs } : {}),
      ...(cfg.provider === 'satoriex' && tuning.satoriexPollMs !== undefined
        ? { pollMs: tuning.satoriexPollMs }
        : {}),
      ...tuning.catchUp,
    },
  });
  if (connect.kind === 'source') return connect.source(cfg, catchUp.context, tuning, catchUp);
  const protocol = connect.protocol(cfg, catchUp.context, tuning);
  catchUp.use(protocol);
  return new WsSupervisor(cfg.id, cfg.provider, protocol, catchUp.context, {
    ...tuning.supervisor,
    catchUp,
    // The config's own interval wins, then a test tuning, then the provider's default.
    heartbeatIntervalMs:
      cfg.heartbeatIntervalMs ||
      (tuning.supervisor?.heartbeatIntervalMs ?? provider.defaultHeartbeatMs),
  });
}

/** The descriptor's catch-up mode is usable with this config (its required field, if any, is set). */
export function catchUpAvailable(
  provider: EngineProvider<z.ZodObject>,
  cfg: SourceConfig,
): boolean {
  const { mode, requires } = provider.catchUp;
  if (mode === 'none') return false;
  if (requires === undefined) return true;
  const value = (cfg as Record<string, unknown>)[requires];
  return typeof value === 'string' ? value.length > 0 : value !== undefined;
}
