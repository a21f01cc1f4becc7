// Commands on the forwarding targets (add, edit, remove, enable; "Send test") and on quiet hours.
// Secrets arrive from the form only when the user typed one; they never go back to the window.
import { quietHoursSchema } from '../../../engine/notify-schema.js';
import type { TargetTestResult } from '../../bridge.js';
import type { QuietHours } from '../../notify.js';
import { fail, isRecord, ok } from '../command-result.js';
import type { HostContext } from '../context.js';
import { buildTarget, isTarget } from '../target-builder.js';
import type { Handlers } from './types.js';

type Deps = Pick<HostContext, 'notify' | 'forwarding' | 'mask' | 'log'>;

export function targetHandlers(
  ctx: Deps,
): Pick<Handlers, 'saveTarget' | 'removeTarget' | 'testTarget' | 'setQuietHours'> {
  return {
    async saveTarget(req) {
      const current = ctx.notify.settings;
      const built = buildTarget(req, current.targets);
      if (!isTarget(built)) return built;
      const replaces = isRecord(req) && typeof req.replaces === 'string' ? req.replaces : built.id;
      const at = current.targets.findIndex((t) => t.id === replaces);
      const targets = [...current.targets];
      if (at >= 0) targets[at] = built;
      else targets.push(built);
      ctx.notify.change({ ...current, targets });
      ctx.log.info({ target: built.id, type: built.type }, 'notify target saved');
      return ok;
    },

    async removeTarget(req) {
      if (!isRecord(req) || typeof req.id !== 'string') return fail('missing target id', 'id');
      const current = ctx.notify.settings;
      if (!current.targets.some((t) => t.id === req.id)) return fail(`no target "${req.id}"`, 'id');
      ctx.notify.change({ ...current, targets: current.targets.filter((t) => t.id !== req.id) });
      return ok;
    },

    async testTarget(req): Promise<TargetTestResult> {
      if (!ctx.forwarding) return fail('sending is not available here') as TargetTestResult;
      // The form as it stands (unsaved edits included), stored secrets kept as on save.
      const others = ctx.notify.settings.targets;
      const built = buildTarget(req, others);
      if (!isTarget(built)) return built as TargetTestResult;
      // A secret typed but not saved yet is masked in the answer too.
      ctx.mask?.addTargets([built]);
      const answer = await ctx.forwarding.testTarget({ ...built, enabled: true });
      return { ok: true, delivered: answer.ok, detail: answer.detail };
    },

    async setQuietHours(req) {
      if (!isRecord(req) || !('quietHours' in req)) return fail('missing quietHours', 'quietHours');
      let quietHours: QuietHours | undefined;
      if (req.quietHours !== null) {
        const parsed = quietHoursSchema.safeParse(req.quietHours);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          const field = issue?.path[0] === undefined ? 'quietHours' : String(issue.path[0]);
          return fail(issue?.message ?? 'invalid quiet hours', field);
        }
        quietHours = parsed.data as QuietHours;
      }
      const { targets } = ctx.notify.settings;
      ctx.notify.change({ targets, ...(quietHours ? { quietHours } : {}) });
      return ok;
    },
  };
}
