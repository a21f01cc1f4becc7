// Commands on the notification prefs: change some of them, forget the alerts held back.
import type { NotificationPrefs } from '../../bridge.js';
import { ALERTABLE_STATUSES } from '../../settings-port.js';
import { fail, isRecord, ok } from '../command-result.js';
import type { HostContext } from '../context.js';
import type { Handlers } from './types.js';

/** Checks one pref's new value and writes it into `next`; returns the refusal, if any. */
type PrefRule = (value: unknown, next: NotificationPrefs) => string | undefined;

const isStrings = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'string');

/** A list of names, each kept once (source ids, activity event names). */
function nameList(key: 'mutedSources' | 'activityAlerts'): PrefRule {
  return (value, next) => {
    if (!isStrings(value)) return 'must be a list of names';
    next[key] = [...new Set(value)];
    return undefined;
  };
}

/** One rule per pref: a pref without a rule does not compile, a key without one is refused. */
const PREF_RULES: { readonly [K in keyof NotificationPrefs]: PrefRule } = {
  statuses: (value, next) => {
    if (!isStrings(value) || !value.every((s) => (ALERTABLE_STATUSES as string[]).includes(s))) {
      return `must list statuses among ${ALERTABLE_STATUSES.join(', ')}`;
    }
    // Kept in the contract's order, whatever order the window sent.
    next.statuses = ALERTABLE_STATUSES.filter((s) => value.includes(s));
    return undefined;
  },
  sound: (value, next) => {
    if (typeof value !== 'boolean') return 'must be true or false';
    next.sound = value;
    return undefined;
  },
  pausedUntil: (value, next) => {
    if (value !== null && (typeof value !== 'number' || !Number.isFinite(value))) {
      return 'must be a time (epoch ms) or null';
    }
    next.pausedUntil = value;
    return undefined;
  },
  mutedSources: nameList('mutedSources'),
  activityAlerts: nameList('activityAlerts'),
  mutedUntil: (value, next) => {
    if (!isRecord(value)) return 'must map source ids to times (epoch ms)';
    const entries = Object.entries(value);
    if (!entries.every(([, until]) => typeof until === 'number' && Number.isFinite(until))) {
      return 'must map source ids to times (epoch ms)';
    }
    next.mutedUntil = Object.fromEntries(entries) as Record<string, number>;
    return undefined;
  },
  outcomeSounds: (value, next) => {
    if (!isRecord(value)) return 'must say, per outcome, whether to play a sound';
    for (const [outcome, on] of Object.entries(value)) {
      if ((outcome !== 'completed' && outcome !== 'failed') || typeof on !== 'boolean') {
        return 'must say, for completed and failed, true or false';
      }
      next.outcomeSounds[outcome] = on;
    }
    return undefined;
  },
};

function isPrefKey(key: string): key is keyof NotificationPrefs {
  return Object.hasOwn(PREF_RULES, key);
}

type Deps = Pick<HostContext, 'settings' | 'stream' | 'alerts'>;

export function prefsHandlers(ctx: Deps): Pick<Handlers, 'setPrefs' | 'dismissHeld'> {
  return {
    async setPrefs(req) {
      if (!isRecord(req)) return fail('request must be an object');
      const next = ctx.alerts.prefs;
      for (const [key, value] of Object.entries(req)) {
        if (!isPrefKey(key)) return fail('unknown preference', key);
        const refusal = PREF_RULES[key](value, next);
        if (refusal !== undefined) return fail(refusal, key);
      }
      // In force at once (the next alert obeys it), even while the save is still under way.
      ctx.alerts.usePrefs(next);
      await ctx.settings.setPrefs(next);
      ctx.stream.enqueue({ type: 'prefs', prefs: structuredClone(next) });
      return ok;
    },

    async dismissHeld() {
      ctx.alerts.dismissHeld();
      return ok;
    },
  };
}
