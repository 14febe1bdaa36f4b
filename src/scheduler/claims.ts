// Turns one due task's plan into the rows to claim: missed records, skipped rows and
// pending runs, each with the overlap decision that goes with it.
import type { Config } from '../config/config.js';
import type { Task } from '../domain/types.js';
import type { StartClaim } from '../store/store.js';
import { decideOverlap, type ActiveRuns, type OverlapDecision } from './overlap.js';
import { planDue, type PlanSchedule, type PlannedMissed } from './plan.js';

export interface ClaimIntent {
  /** `start` is set by the loop when the run may start in the claim's own transaction. */
  claim: StartClaim;
  /** What to do with the run once claimed (`skip` for skipped and missed rows). */
  decision: OverlapDecision;
}

/** What the loop knows of the task's runs in progress, and how it counts in-flight decisions. */
export interface OverlapState {
  active(taskId: number): ActiveRuns;
  reserve(taskId: number, decision: OverlapDecision, delta: 1 | -1): void;
}

type Keyed = { taskId: number; scheduledFor: Date; attempt: number };

/** The claim key as a string, for matching claimed rows to intents. */
export function claimKey(r: Keyed): string {
  return `${r.taskId}:${r.scheduledFor.getTime()}:${r.attempt}`;
}

/** Whether two rows have the same claim key (taskId, scheduledFor, attempt). */
export function sameClaim(a: Keyed, b: Keyed): boolean {
  return (
    a.taskId === b.taskId &&
    a.attempt === b.attempt &&
    a.scheduledFor.getTime() === b.scheduledFor.getTime()
  );
}

export function missedError(m: PlannedMissed): string {
  const n = `${m.atLeast ? 'at least ' : ''}${m.count} occurrence${m.count === 1 ? '' : 's'}`;
  return `missed ${n} from ${new Date(m.scheduledFor).toISOString()} to ${new Date(m.lastMissed).toISOString()}`;
}

const SKIP_ERRORS: Record<string, string> = {
  skip: 'skipped: the previous run is still in progress (overlap policy skip)',
  queue: 'skipped: a run is already queued behind the running one (overlap policy queue)',
};

/**
 * Plans the due task at now and returns its claims. Each fire's overlap decision is
 * reserved in `state` at once, so a second fire of the same plan (run_all) sees the first.
 */
export function buildClaims(
  task: Task,
  schedule: PlanSchedule,
  now: number,
  config: Readonly<Config>,
  node: string,
  state: OverlapState,
): { intents: ClaimIntent[]; nextTriggerAt: number | null } {
  const s = config.scheduler;
  const plan = planDue(
    {
      schedule,
      nextTriggerAt: task.nextTriggerAt!.getTime(),
      misfire: task.policies.misfire ?? config.defaults.misfire,
      misfireThresholdMs: s.misfireThresholdMs,
      oneShotGraceMs: s.oneShotGraceMs,
      runAllCap: s.runAllCap,
    },
    now,
  );
  const runAt = new Date(now);
  const intents: ClaimIntent[] = [];
  if (plan.missed) {
    intents.push({
      decision: 'skip',
      claim: {
        taskId: task.id,
        scheduledFor: new Date(plan.missed.scheduledFor),
        attempt: 1,
        trigger: 'schedule',
        status: 'missed',
        runAt,
        node,
        error: missedError(plan.missed),
        missedCount: plan.missed.count,
      },
    });
  }
  const policy = task.policies.overlap ?? config.defaults.overlap;
  for (const fire of plan.fire) {
    const decision = decideOverlap(policy, state.active(task.id));
    state.reserve(task.id, decision, 1);
    const skipped = decision === 'skip';
    intents.push({
      decision,
      claim: {
        taskId: task.id,
        scheduledFor: new Date(fire.scheduledFor),
        attempt: 1,
        trigger: fire.trigger,
        status: skipped ? 'skipped' : 'pending',
        runAt,
        node,
        error: skipped ? (SKIP_ERRORS[policy] ?? SKIP_ERRORS.skip!) : null,
      },
    });
  }
  return { intents, nextTriggerAt: plan.nextTriggerAt };
}
