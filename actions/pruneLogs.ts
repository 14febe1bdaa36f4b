// PruneLogs: Taskr's RotateTaskLog. Deletes log entries and finished runs older than N days.
import { defineActionType, type ParamSpec } from '../src/actions/contract.js';
import { finish, validateParams, type ParamError } from '../src/actions/params.js';

export interface PruneLogsParams {
  days: number;
}

const DAY_MS = 86_400_000;

const params: readonly ParamSpec[] = [
  {
    name: 'days',
    type: 'integer',
    required: true,
    description:
      'Keep this many days: log entries and finished runs older than that are deleted ' +
      '(0 deletes everything finished before now).',
  },
];

export default defineActionType<PruneLogsParams>({
  name: 'PruneLogs',
  aliases: ['RotateTaskLog'],
  description:
    "Deletes log entries and finished runs older than N days from Taskr's own database " +
    '(runs still pending or running are never deleted).',
  params,
  validate(raw) {
    const r = validateParams('PruneLogs', params, raw);
    if (!r.ok) return r;
    const errors: ParamError[] = [];
    const days = r.params.days as number;
    if (days < 0) errors.push({ param: 'days', message: `must be 0 or more, got ${days}` });
    return finish<PruneLogsParams>(r.params, errors);
  },
  async run(p, ctx) {
    // The cut-off comes from the injected clock, so tests and clock jumps behave predictably.
    const before = new Date(ctx.clock.now() - p.days * DAY_MS);
    const logs = await ctx.store.logs.prune(before);
    const runs = await ctx.store.runs.pruneFinished(before);
    ctx.output(
      `pruned ${logs} log entries and ${runs} finished runs older than ${p.days} days (before ${before.toISOString()})`,
    );
    return { ok: true };
  },
});
