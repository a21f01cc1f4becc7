// Commands on the sources themselves: save one from the form (add, edit, rename), remove one,
// reconnect one or all, and test a form's values without saving them. The demo's sources are built
// in and cannot be edited.
import { fail, isRecord, ok } from '../command-result.js';
import type { HostContext } from '../context.js';
import { buildSourceConfig, isRefusal } from '../source-builder.js';
import { secretFieldsOf } from '../source-view.js';
import type { Handlers } from './types.js';

const DEMO_REFUSAL = 'Demo sources are built in: switch to your own providers first.';

type Deps = Pick<
  HostContext,
  'engine' | 'settings' | 'log' | 'stream' | 'sources' | 'problems' | 'demo' | 'alerts'
>;

export function sourceHandlers(
  ctx: Deps,
): Pick<Handlers, 'saveSource' | 'removeSource' | 'reconnect' | 'testSource'> {
  const { engine, stream } = ctx;
  const saveSources = () => ctx.problems.watchSave(ctx.settings.setSources(engine.sourceConfigs()));
  return {
    async saveSource(req) {
      const built = buildSourceConfig(req, engine.sourceConfigs());
      if (isRefusal(built)) return built;
      if (ctx.demo.active) return fail(DEMO_REFUSAL);
      const replaces = isRecord(req) && typeof req.replaces === 'string' ? req.replaces : undefined;
      if (replaces !== undefined && replaces !== built.id) {
        await engine.removeSource(replaces);
        ctx.sources.forget(replaces);
        ctx.alerts.forgetSource(replaces);
        stream.enqueue({ type: 'source-removed', id: replaces });
      }
      await engine.upsertSource(built);
      // A disabled source is not watched: no "monitoring degraded" for it.
      if (!built.enabled) ctx.alerts.forgetSource(built.id);
      saveSources();
      ctx.log.info({ source: built.id, provider: built.provider }, 'source saved');
      ctx.sources.push(built.id, true);
      return ok;
    },

    async removeSource(req) {
      if (!isRecord(req) || typeof req.id !== 'string') return fail('missing source id', 'id');
      if (ctx.demo.active) return fail(DEMO_REFUSAL);
      if (!engine.sourceStatus(req.id)) return fail(`no source "${req.id}"`, 'id');
      await engine.removeSource(req.id);
      ctx.sources.forget(req.id);
      ctx.alerts.forgetSource(req.id);
      saveSources();
      stream.enqueue({ type: 'source-removed', id: req.id });
      return ok;
    },

    async testSource(req) {
      // Judged exactly as a save would be (an edit keeps its stored secrets), then never saved.
      const built = buildSourceConfig(req, engine.sourceConfigs());
      if (isRefusal(built)) return built.ok ? fail('nothing to test') : built;

      if (!engine.testConnection) return fail('testing a connection is not available here');
      const raw = built as Record<string, unknown>;
      const secrets = secretFieldsOf(built.provider)
        .map((name) => raw[name])
        .filter((v): v is string => typeof v === 'string');
      const result = await engine.testConnection({ ...built, enabled: true }, secrets);
      ctx.log.info(
        { source: built.id, provider: built.provider, outcome: result.outcome },
        'connection tested',
      );
      return { ok: true, ...result };
    },

    async reconnect(req) {
      const source = isRecord(req) ? req.source : undefined;
      if (source === undefined) {
        engine.reconnectAll();
        return ok;
      }
      if (typeof source !== 'string' || !engine.sourceStatus(source)) {
        return fail(`no source ${JSON.stringify(source)}`, 'source');
      }
      engine.reconnect(source);
      return ok;
    },
  };
}
