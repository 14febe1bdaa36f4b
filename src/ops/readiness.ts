// Readiness: the store answers (`databaseNow()` within a timeout) and the scheduler loop is
// alive (running, and its heartbeat — the last wake — is fresh or its timer is not overdue).
// Liveness (/health) is only "the process answers"; readiness is "it can do its job".
import type { Clock } from '../clock/clock.js';
import type { SchedulerApi, SchedulerStatus } from '../scheduler/schedulerApi.js';
import type { Store } from '../store/store.js';

export interface ReadinessCheck {
  ok: boolean;
  message: string;
}

export interface Readiness {
  ready: boolean;
  checks: { store: ReadinessCheck; scheduler: ReadinessCheck };
}

export interface ReadinessDeps {
  store: Pick<Store, 'databaseNow'>;
  scheduler: Pick<SchedulerApi, 'status'>;
  clock: Clock;
  /** How long the store may take to answer (default 2 s). */
  storeTimeoutMs?: number;
}

/** Slack for timers that fire a little late and for a busy event loop. */
const SLACK_MS = 5_000;

/** The loop wakes at least every timerCapMs; two missed wakes plus slack is stale. */
export function heartbeatStaleMs(timerCapMs: number): number {
  return 2 * timerCapMs + SLACK_MS;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/**
 * The scheduler part, pure. A re-armed timer (tasks edited often) postpones the wake, so an
 * armed timer that is not overdue also counts as alive.
 */
export function schedulerCheck(status: SchedulerStatus, now: number): ReadinessCheck {
  if (!status.running) return { ok: false, message: 'scheduler loop is not running' };
  const heartbeat = (status.lastWakeAt ?? status.startedAt)?.getTime() ?? null;
  const age = heartbeat === null ? Infinity : now - heartbeat;
  const nextWake = status.nextWakeAt?.getTime() ?? null;
  const timerOk = nextWake !== null && nextWake >= now - SLACK_MS;
  if (age <= heartbeatStaleMs(status.timerCapMs) || timerOk) {
    const since = status.lastWakeAt ? 'last wake' : 'started, no wake yet,';
    return { ok: true, message: `scheduler loop alive; ${since} ${seconds(Math.max(0, age))} ago` };
  }
  const due =
    nextWake === null ? 'no timer is armed' : `its wake was due ${seconds(now - nextWake)} ago`;
  return {
    ok: false,
    message: `scheduler loop heartbeat is stale: last wake ${seconds(age)} ago and ${due} (timer cap ${seconds(status.timerCapMs)})`,
  };
}

async function storeCheck(deps: ReadinessDeps): Promise<ReadinessCheck> {
  const timeoutMs = deps.storeTimeoutMs ?? 2_000;
  let timer: ReturnType<Clock['setTimer']> | null = null;
  const timeout = new Promise<never>((_, reject) => {
    timer = deps.clock.setTimer(
      () => reject(new Error(`no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([deps.store.databaseNow(), timeout]);
    return { ok: true, message: 'store reachable' };
  } catch (err) {
    return { ok: false, message: `store unreachable: ${(err as Error)?.message ?? String(err)}` };
  } finally {
    if (timer) deps.clock.clearTimer(timer);
  }
}

export async function checkReadiness(deps: ReadinessDeps): Promise<Readiness> {
  const store = await storeCheck(deps);
  const scheduler = schedulerCheck(deps.scheduler.status(), deps.clock.now());
  return { ready: store.ok && scheduler.ok, checks: { store, scheduler } };
}
