// The demo switch: the demo's simulated sources out, the user's own in (or back). One switch at a
// time; the windows see the old sources removed, the mode flip, then the new sources. A face that
// keeps each mode in its own state folder restarts instead (DemoControl.restartInto).
import { parseConfig, type SourceConfig } from '../../../engine/config.js';
import { fail, isRecord, ok } from '../command-result.js';
import type { HostContext } from '../context.js';
import type { Handlers } from './types.js';

type Deps = Pick<
  HostContext,
  'engine' | 'settings' | 'log' | 'stream' | 'sources' | 'demo' | 'notify'
>;

export function demoHandlers(ctx: Deps): Pick<Handlers, 'setDemo'> {
  const { engine, stream, demo: state } = ctx;
  return {
    async setDemo(req) {
      if (!isRecord(req) || typeof req.demo !== 'boolean') {
        return fail('must be true or false', 'demo');
      }
      const demo = req.demo;
      // Before "already on": while a switch (or a restart) is under way, no answer is final yet.
      if (state.switching) return fail('already switching, try again in a moment', 'demo');
      if (demo === state.active) return ok;
      const control = state.control;
      if (!control) return fail('the demo is not available here', 'demo');
      state.switching = true;
      if (control.restartInto) {
        // Stays switching: this process ends, and a second click must not ask again.
        await ctx.settings.setDemo(demo);
        ctx.log.info(
          { demo },
          demo ? 'restarting into the demo' : 'restarting into your providers',
        );
        control.restartInto(demo);
        return ok;
      }
      try {
        for (const cfg of engine.sourceConfigs()) {
          await engine.removeSource(cfg.id);
          ctx.sources.forget(cfg.id);
          stream.enqueue({ type: 'source-removed', id: cfg.id });
        }
        // Forward only the user's own alerts: targets off before the demo's sources come in.
        ctx.notify.apply(demo);
        let run: (() => void) | undefined;
        let sources: SourceConfig[];
        if (demo) {
          const started = await control.start();
          sources = parseConfig({ sources: started.sources }).config.sources;
          run = () => started.run();
        } else {
          await control.stop();
          sources = ctx.settings.getSources() ?? [];
        }
        for (const cfg of sources) await engine.upsertSource(cfg);
        state.active = demo;
        await ctx.settings.setDemo(demo);
        stream.enqueue({ type: 'demo', demo });
        for (const cfg of sources) ctx.sources.push(cfg.id, true);
        // The demo's scripts start only once the windows know its sources.
        run?.();
        ctx.log.info({ demo }, demo ? 'switched to the demo' : 'switched to your own providers');
        return ok;
      } finally {
        state.switching = false;
        // Whatever happened, the targets follow the mode the engine is in now.
        ctx.notify.apply();
      }
    },
  };
}
