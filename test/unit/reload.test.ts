// Config reload (SIGHUP): the plan row by row, the sources step's calls in order, and the
// reloader's promises: an invalid file changes nothing and says so once (stderr and a problem
// line, secrets masked); reloads run one at a time; later steps see only valid files.
import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConfigReloader,
  notifyStep,
  planReload,
  RELOAD_FAILED_CODE,
  retentionStep,
  sourcesStep,
  type ReloadStep,
} from '../../src-main/cli/reload.js';
import { parseConfig, type Config, type SourceConfig } from '../../src-main/engine/config.js';
import { silentLogger } from '../../src-main/engine/log.js';
import type { ProblemLine } from '../../src-main/engine/types.js';
import type { NotifyTarget, QuietHours } from '../../src-main/shared/notify.js';
import { SECRET_MASK, SecretMask } from '../../src-main/shared/secret-mask.js';

const nx = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  provider: 'nexchange',
  url: 'ws://127.0.0.1:1/orders/',
  orders: ['A'],
  ...extra,
});
const hd = (id: string, secret = 'hd-secret-1') => ({
  id,
  provider: 'houdini',
  url: 'ws://127.0.0.1:1/',
  partnerId: 'p',
  secret,
});
const cfg = (...sources: unknown[]): Config => parseConfig({ sources }).config;
const ids = (list: readonly SourceConfig[]) => list.map((s) => s.id);

describe('planReload', () => {
  it.each([
    ['nothing changed', cfg(nx('a'), hd('b')), cfg(nx('a'), hd('b')), [], [], [], ['a', 'b']],
    ['a source added', cfg(nx('a')), cfg(nx('a'), hd('b')), ['b'], [], [], ['a']],
    ['a source removed', cfg(nx('a'), hd('b')), cfg(nx('a')), [], ['b'], [], ['a']],
    ['a url changed', cfg(nx('a')), cfg(nx('a', { url: 'ws://127.0.0.1:2/' })), [], [], ['a'], []],
    ['a secret changed', cfg(hd('b')), cfg(hd('b', 'other-secret')), [], [], ['b'], []],
    ['a watch list changed', cfg(nx('a')), cfg(nx('a', { orders: ['A', 'B'] })), [], [], ['a'], []],
    ['disabled', cfg(nx('a')), cfg(nx('a', { enabled: false })), [], [], ['a'], []],
    ['a label changed', cfg(nx('a')), cfg(nx('a', { label: 'Desk' })), [], [], ['a'], []],
    [
      'same settings, other key order',
      cfg({ url: 'ws://127.0.0.1:1/orders/', orders: ['A'], provider: 'nexchange', id: 'a' }),
      cfg(nx('a')),
      [],
      [],
      [],
      ['a'],
    ],
    ['an id renamed (remove + add)', cfg(nx('a')), cfg(nx('a2')), ['a2'], ['a'], [], []],
    ['a provider swapped under the same id', cfg(nx('a')), cfg(hd('a')), [], [], ['a'], []],
  ])('%s', (_what, running, next, add, remove, change, keep) => {
    const plan = planReload(running, next);
    expect(ids(plan.add)).toEqual(add);
    expect(plan.remove).toEqual(remove);
    expect(ids(plan.change)).toEqual(change);
    expect(plan.keep).toEqual(keep);
  });
});

function fakeEngine() {
  const calls: string[] = [];
  return {
    calls,
    upsertSource: (s: SourceConfig) => {
      calls.push(`upsert ${s.id}`);
      return Promise.resolve();
    },
    removeSource: (id: string) => {
      calls.push(`remove ${id}`);
      return Promise.resolve();
    },
  };
}

describe('sourcesStep', () => {
  it('removes, then reconnects changed sources, then adds; leaves unchanged ones alone', async () => {
    const engine = fakeEngine();
    const changes = await sourcesStep(engine).apply(
      cfg(nx('keep'), nx('gone'), nx('moved')),
      cfg(nx('keep'), nx('moved', { url: 'ws://127.0.0.1:2/' }), hd('new')),
    );
    expect(engine.calls).toEqual(['remove gone', 'upsert moved', 'upsert new']);
    expect(changes).toEqual([
      'removed source "gone"',
      'reconnected source "moved" with new settings',
      'added source "new"',
    ]);
  });
});

function setup(initial: unknown, extraSteps: ReloadStep[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'ob-reload-'));
  const path = join(dir, 'config.json');
  const write = (json: unknown) =>
    writeFileSync(path, typeof json === 'string' ? json : JSON.stringify(json));
  write(initial);
  const engine = fakeEngine();
  const problems: ProblemLine[] = [];
  const said: string[] = [];
  const mask = new SecretMask();
  const running = parseConfig(initial).config;
  const reloader = new ConfigReloader({
    path,
    running,
    steps: [sourcesStep(engine), retentionStep(), ...extraSteps],
    mask,
    log: silentLogger(),
    emit: (line) => problems.push(line),
    say: (line) => said.push(line),
    now: () => new Date('2026-12-02T10:00:00.000Z'),
  });
  return { reloader, write, engine, problems, said, mask, running, path };
}

describe('ConfigReloader', () => {
  it('applies a valid file and makes it the running config', async () => {
    const t = setup({ sources: [nx('a')] });
    t.write({ sources: [nx('a'), hd('b')] });
    expect(await t.reloader.reload()).toEqual({ ok: true, changes: ['added source "b"'] });
    expect(ids(t.reloader.config.sources)).toEqual(['a', 'b']);
    // The next reload plans against what now runs: the same file again changes nothing.
    expect(await t.reloader.reload()).toEqual({ ok: true, changes: [] });
    expect(t.engine.calls).toEqual(['upsert b']);
    expect(t.problems).toEqual([]);
  });

  it.each([
    ['not JSON', '{"sources": [', /not valid JSON/],
    [
      'a source with a missing field',
      { sources: [nx('a'), { id: 'oz', provider: 'ozzobit', url: 'wss://x/ws' }] },
      /source "oz": field "apiKey": is required/,
    ],
    ['a duplicate id', { sources: [nx('a'), nx('a')] }, /source "a": field "id": duplicate id/],
    ['no sources at all', { sources: [] }, /no sources: nothing to watch/],
    [
      'every source disabled',
      { sources: [nx('a', { enabled: false })] },
      /all 1 sources in the config are disabled/,
    ],
  ])('refuses %s: nothing changes, one stderr line, one problem line', async (_w, file, why) => {
    const t = setup({ sources: [nx('a')] });
    t.write(file);
    const outcome = await t.reloader.reload();
    expect(outcome.ok).toBe(false);
    expect(t.engine.calls).toEqual([]);
    expect(t.reloader.config).toBe(t.running);
    expect(t.said).toHaveLength(1);
    expect(t.said[0]).toMatch(
      /^orderbell: config file .* not reloaded, the running config stays: /,
    );
    expect(t.said[0]).toMatch(why);
    expect(t.said[0]).not.toContain('\n');
    expect(t.problems).toEqual([
      {
        kind: 'problem',
        code: RELOAD_FAILED_CODE,
        detail: t.said[0]?.replace(/^orderbell: /, ''),
        at: '2026-12-02T10:00:00.000Z',
      },
    ]);
  });

  it('masks the secrets of a refused file, and learns those of a new source before applying it', async () => {
    const t = setup({ sources: [nx('a')] });
    // Refused (bad url) and the error quotes the value: the secret must not show.
    t.write({ sources: [{ ...hd('b', 'sekret-in-url'), url: 'ftp://sekret-in-url' }] });
    await t.reloader.reload();
    expect(t.said.join('')).toMatch(/field "url"/);
    expect(t.said.join('')).not.toContain('sekret-in-url');
    expect(JSON.stringify(t.problems)).not.toContain('sekret-in-url');
    let maskedAtApply = '';
    const t2 = setup({ sources: [nx('a')] }, [
      {
        name: 'probe',
        apply: () => {
          maskedAtApply = t2.mask.text('uses new-secret-42');
          return Promise.resolve([]);
        },
      },
    ]);
    t2.write({ sources: [nx('a'), hd('b', 'new-secret-42')] });
    await t2.reloader.reload();
    expect(maskedAtApply).toBe('uses [redacted]');
  });

  it('masks what it loads even while the file is being rewritten (one read, not two)', async () => {
    // A writer replaces the file (atomically, as editors do) with a fresh secret each time. Every
    // config a reload applies must have had its secrets masked first: with one read for the mask
    // and another for the load, a write in between applies a secret the mask never learnt.
    const unmasked: string[] = [];
    let applied = 0;
    const probe: ReloadStep = {
      name: 'probe',
      apply: (_running, next) => {
        applied += 1;
        for (const s of next.sources) {
          const secret = (s as { secret?: string }).secret;
          if (secret && t.mask.text(secret) !== SECRET_MASK) unmasked.push(secret);
        }
        return Promise.resolve([]);
      },
    };
    const t = setup({ sources: [nx('a')] }, [probe]);
    const tmp = `${t.path}.tmp`;
    let version = 0;
    const rewrite = () => {
      const secret = `race-secret-${String(++version).padStart(5, '0')}`;
      writeFileSync(tmp, JSON.stringify({ sources: [nx('a'), hd('b', secret)] }));
      renameSync(tmp, t.path);
    };
    rewrite();
    let writing = true;
    const writer = (async () => {
      // Bounded: stops with the reloads, or after 5,000 versions at most.
      while (writing && version < 5_000) {
        rewrite();
        await new Promise((r) => setImmediate(r));
      }
    })();
    const deadline = Date.now() + 3_000;
    for (let i = 0; i < 150 && Date.now() < deadline; i++) await t.reloader.reload();
    writing = false;
    await writer;
    expect(applied).toBeGreaterThan(0);
    expect(unmasked).toEqual([]);
  });

  it('runs every step with the running and the next config, in order', async () => {
    const seen: string[] = [];
    const step = (name: string): ReloadStep => ({
      name,
      apply: (running, next) => {
        seen.push(`${name}: ${ids(running.sources).join()} → ${ids(next.sources).join()}`);
        return Promise.resolve([`${name} done`]);
      },
    });
    const t = setup({ sources: [nx('a')] }, [step('notify'), step('quiet')]);
    t.write({ sources: [nx('b')] });
    const outcome = await t.reloader.reload();
    expect(seen).toEqual(['notify: a → b', 'quiet: a → b']);
    expect(outcome).toEqual({
      ok: true,
      changes: ['removed source "a"', 'added source "b"', 'notify done', 'quiet done'],
    });
  });

  it('reports a step that fails and keeps the running config to plan the next reload from', async () => {
    const failing: ReloadStep = { name: 'x', apply: () => Promise.reject(new Error('boom')) };
    const t = setup({ sources: [nx('a')] }, [failing]);
    t.write({ sources: [nx('a'), nx('b')] });
    const outcome = await t.reloader.reload();
    expect(outcome).toEqual({
      ok: false,
      problem: expect.stringMatching(/applying it failed: boom/),
    });
    expect(t.problems).toHaveLength(1);
    expect(t.reloader.config).toBe(t.running);
  });

  it('says that a retentionDays change waits for a restart', async () => {
    const t = setup({ sources: [nx('a')] });
    t.write({ sources: [nx('a')], retentionDays: 7 });
    expect(await t.reloader.reload()).toEqual({
      ok: true,
      changes: ['retentionDays takes effect at the next start'],
    });
  });

  it('runs reloads one at a time: a second SIGHUP waits for the first', async () => {
    let release: () => void = () => undefined;
    const order: string[] = [];
    let first = true;
    const slow: ReloadStep = {
      name: 'slow',
      apply: async () => {
        const mine = first ? 'first' : 'second';
        first = false;
        order.push(`${mine} start`);
        if (mine === 'first') await new Promise<void>((r) => (release = r));
        order.push(`${mine} end`);
        return [];
      },
    };
    const t = setup({ sources: [nx('a')] }, [slow]);
    const a = t.reloader.reload();
    const b = t.reloader.reload();
    for (let i = 0; i < 50 && order.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    release();
    await Promise.all([a, b]);
    expect(order).toEqual(['first start', 'first end', 'second start', 'second end']);
  });
});

describe('notifyStep', () => {
  const hook = {
    id: 'hook',
    type: 'webhook',
    url: 'http://127.0.0.1:1/h',
    secret: 'hook-secret-77',
  };
  const phone = { id: 'phone', type: 'ntfy', url: 'http://127.0.0.1:1/t', statuses: ['failed'] };
  const quiet = { from: '22:00', to: '07:00', except: ['failed'] };
  const file = (extra: Record<string, unknown>) => ({ sources: [nx('a')], ...extra });
  it.each([
    ['nothing about forwarding changed', file({ notify: [hook] }), file({ notify: [hook] }), false],
    ['a target added', file({}), file({ notify: [hook] }), true],
    ['a target removed', file({ notify: [hook, phone] }), file({ notify: [hook] }), true],
    [
      'a secret changed',
      file({ notify: [hook] }),
      file({ notify: [{ ...hook, secret: 'other-secret-1' }] }),
      true,
    ],
    [
      'a target disabled',
      file({ notify: [hook] }),
      file({ notify: [{ ...hook, enabled: false }] }),
      true,
    ],
    [
      'quiet hours set',
      file({ notify: [hook] }),
      file({ notify: [hook], quietHours: quiet }),
      true,
    ],
    [
      'quiet hours moved',
      file({ quietHours: quiet }),
      file({ quietHours: { ...quiet, to: '06:30' } }),
      true,
    ],
    [
      'only a source changed',
      file({ notify: [hook] }),
      { sources: [nx('b')], notify: [hook] },
      false,
    ],
  ])('%s', async (_what, before, after, applies) => {
    const calls: { targets: NotifyTarget[]; quiet: QuietHours | undefined }[] = [];
    const step = notifyStep({
      setNotify: (targets, quietHours) => {
        calls.push({ targets, quiet: quietHours });
        return Promise.resolve();
      },
    });
    const next = parseConfig(after).config;
    const changes = await step.apply(parseConfig(before).config, next);
    expect(calls).toEqual(applies ? [{ targets: next.notify ?? [], quiet: next.quietHours }] : []);
    expect(changes).toHaveLength(applies ? 1 : 0);
  });

  it.each([
    ['a target removed', [hook, phone], [hook], ['phone']],
    ['a target disabled', [hook], [{ ...hook, enabled: false }], []],
    ['a target added', [hook], [hook, phone], []],
    ['every target removed', [hook, phone], [], ['hook', 'phone']],
  ])('%s: the removed ids', async (_what, before, after, removed) => {
    const calls: (string[] | undefined)[] = [];
    const step = notifyStep({
      setNotify: (_targets, _quiet, change) => {
        calls.push(change?.removed);
        return Promise.resolve();
      },
    });
    await step.apply(
      parseConfig(file({ notify: before })).config,
      parseConfig(file({ notify: after })).config,
    );
    expect(calls).toEqual([removed]);
  });

  it('masks the target secrets of a new file, also one that is refused', async () => {
    const t = setup({ sources: [nx('a')] });
    // Refused (the url is not http/https); the secret must not show in what is said about it.
    t.write({
      sources: [nx('a')],
      notify: [{ ...hook, url: 'ftp://x', secret: 'refused-secret-9' }],
    });
    await t.reloader.reload();
    expect(t.mask.text('x refused-secret-9 y')).toBe('x [redacted] y');
    expect(t.said.join('') + JSON.stringify(t.problems)).not.toContain('refused-secret-9');
  });
});
