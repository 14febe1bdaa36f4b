// The scheduler's start-up warm-up: pays the one-time costs of the firing path before
// anything is due (prepared statements, and the first use of the schedule parsers, the
// planner and the claim and finish calls: lazy compilation, time-zone data), on sample
// schedules and a stand-in task; nothing is stored. Without it the first occurrences after
// start-up fired 5-10 ms late (lateness bench).
import type { Config } from '../config/config.js';
import { INHERITED_POLICIES, type Run, type ScheduleMethod, type Task } from '../domain/types.js';
import { parseSchedule } from '../schedule/schedule.js';
import type { Store } from '../store/store.js';
import { buildClaims, type OverlapState } from './claims.js';

/** Runs every step of the warm-up; a failing step is reported and the others still run. */
export async function warmUpFiringPath(
  store: Store,
  config: Readonly<Config>,
  now: number,
  node: string,
  fail: (err: unknown, what: string) => void,
): Promise<void> {
  store.warmUp?.();
  try {
    await warmUpStore(store, now, node);
  } catch (err) {
    fail(err, 'warming up the claim and finish calls');
  }
  const zone = { timezone: null, defaultTimezone: config.timezone, now };
  const idle: OverlapState = { active: () => ({ running: 0, queued: 0 }), reserve: () => {} };
  for (const [method, when] of WARM_UP_SCHEDULES) {
    try {
      const text = method === 'at' ? new Date(now + 3_600_000).toISOString() : when;
      const schedule = parseSchedule(method, text, zone);
      const task = warmUpTask(method, text, schedule.first(now));
      buildClaims(task, schedule, now + 7_200_000, config, node, idle);
    } catch (err) {
      fail(err, `warming up the firing path (${method} schedule)`);
    }
  }
}

/** One per method; the `at` text is replaced by an instant an hour after start-up. */
export const WARM_UP_SCHEDULES: readonly (readonly [ScheduleMethod, string])[] = [
  ['at', ''],
  ['in', '1h'],
  ['every', '1h'],
  ['cron', '0 3 * * *'],
];

/** A task with id 0 (no stored task has it) due at `next`, with default policies. */
export function warmUpTask(method: ScheduleMethod, when: string, next: number | null): Task {
  const epoch = new Date(0);
  return {
    id: 0,
    name: 'warm-up',
    memo: null,
    scheduleMethod: method,
    scheduleWhen: when,
    timezone: null,
    enabled: true,
    policies: INHERITED_POLICIES,
    createdOn: epoch,
    createdBy: null,
    updatedOn: epoch,
    lastTriggered: null,
    lastTriggeredError: null,
    nextTriggerAt: next === null ? null : new Date(next),
    actions: [],
  };
}

/**
 * Goes once through the store calls of the firing path (claim-and-start, the finish
 * batch) for task id 0, which does not exist: the claim inserts nothing (claims for a
 * missing task are dropped), the finish matches no row. Nothing is written.
 */
export async function warmUpStore(store: Store, now: number, node: string): Promise<void> {
  const at = new Date(now);
  const runs = store.runs;
  if (runs.claimAndStart) {
    const claim = { taskId: 0, scheduledFor: at, attempt: 1, trigger: 'schedule' as const };
    await runs.claimAndStart([{ ...claim, status: 'pending', runAt: at, node, start: true }], at);
  }
  if (runs.finishHeld) {
    const held: Run = {
      id: 0,
      taskId: 0,
      scheduledFor: at,
      trigger: 'schedule',
      attempt: 1,
      status: 'running',
      runAt: at,
      startedAt: at,
      finishedAt: null,
      durationMs: null,
      error: null,
      missedCount: null,
      node,
      results: [],
    };
    const fields = { finishedAt: at, durationMs: 0, error: null, results: [] };
    const state = { nextTriggerAt: null, lastTriggered: at, lastTriggeredError: null };
    await runs.finishHeld([{ held, to: 'succeeded', fields, taskId: 0, state }]);
  }
}
