// The demo switch, called as a registered handler.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../src-main/engine/config.js';
import { parts, setup } from '../support/host-harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const demoSources = [{ id: 'demo-nx', provider: 'nexchange', url: 'ws://127.0.0.1:9/' }];

function control() {
  return {
    start: vi.fn(async () => ({ sources: demoSources, run: vi.fn() })),
    stop: vi.fn(async () => {}),
  };
}

describe('demo handler', () => {
  it('setDemo swaps the demo sources for the saved ones and back', async () => {
    const ctl = control();
    const { engine, host, settings } = setup({
      demo: true,
      demoControl: ctl,
      sources: parseConfig({ sources: demoSources }).config.sources,
    });
    expect(await host.invoke('setDemo', { demo: false })).toEqual({ ok: true });
    expect(ctl.stop).toHaveBeenCalledOnce();
    expect(engine.sourceConfigs().map((c) => c.id)).toEqual(['nx', 'hd', 'op']);
    expect(settings.getDemo()).toBe(false);
    expect(await host.invoke('setDemo', { demo: true })).toEqual({ ok: true });
    expect(engine.sourceConfigs().map((c) => c.id)).toEqual(['demo-nx']);
    expect(host.isDemo).toBe(true);
  });

  it('the windows see the old sources go, the mode flip, then the new sources; the script runs last', async () => {
    const run = vi.fn();
    const ctl = { start: vi.fn(async () => ({ sources: demoSources, run })), stop: vi.fn() };
    const p = parts({ demoControl: ctl });
    expect(await p.handlers.setDemo({ demo: true })).toEqual({ ok: true });
    expect(
      p
        .changes()
        .map((c) =>
          c.type === 'source-removed'
            ? `- ${c.id}`
            : c.type === 'source'
              ? `+ ${c.source.id}`
              : c.type,
        ),
    ).toEqual(['- nx', '- hd', '- op', 'demo', '+ demo-nx']);
    expect(run).toHaveBeenCalledOnce();
    expect(p.ctx.demo.active).toBe(true);
  });

  // Web mode under `npm start` keeps each mode in a state folder of its own and restarts on a
  // switch: nothing of the other mode may run on this engine (and so on this folder) meanwhile.
  it.each([true, false])(
    'a face that restarts on a switch (to demo: %s): the choice is saved, this engine is left alone',
    async (toDemo) => {
      const restartInto = vi.fn();
      const ctl = { ...control(), restartInto };
      const p = parts({ demo: !toDemo, demoControl: ctl });
      const before = p.engine.sourceConfigs().map((c) => c.id);
      expect(await p.handlers.setDemo({ demo: toDemo })).toEqual({ ok: true });
      expect(restartInto).toHaveBeenCalledExactlyOnceWith(toDemo);
      expect(p.settings.getDemo()).toBe(toDemo);
      expect(ctl.start).not.toHaveBeenCalled();
      expect(ctl.stop).not.toHaveBeenCalled();
      expect(p.engine.calls).toEqual([]);
      expect(p.engine.sourceConfigs().map((c) => c.id)).toEqual(before);
      expect(p.changes().filter((c) => c.type.startsWith('source') || c.type === 'demo')).toEqual(
        [],
      );
      // The process is about to end: a second click asks for nothing more.
      expect(await p.handlers.setDemo({ demo: !toDemo })).toMatchObject({
        ok: false,
        field: 'demo',
      });
      expect(restartInto).toHaveBeenCalledOnce();
    },
  );

  const refusals: [string, unknown, boolean, string][] = [
    ['not a boolean', { demo: 'yes' }, true, 'must be true or false'],
    ['no demo in this face', { demo: true }, false, 'the demo is not available here'],
  ];
  it.each(refusals)('refuses: %s', async (_name, req, withControl, error) => {
    const p = parts(withControl ? { demoControl: control() } : {});
    expect(await p.handlers.setDemo(req)).toEqual({ ok: false, error, field: 'demo' });
    expect(p.engine.calls).toEqual([]);
  });

  it('asking for the mode already on does nothing', async () => {
    const ctl = control();
    const p = parts({ demoControl: ctl });
    expect(await p.handlers.setDemo({ demo: false })).toEqual({ ok: true });
    expect(ctl.start).not.toHaveBeenCalled();
    expect(ctl.stop).not.toHaveBeenCalled();
  });

  it('one switch at a time', async () => {
    const p = parts({ demoControl: control() });
    const first = p.handlers.setDemo({ demo: true });
    expect(await p.handlers.setDemo({ demo: true })).toMatchObject({ ok: false, field: 'demo' });
    expect(await first).toEqual({ ok: true });
  });
});
