// What the rest of the daemon (task service, HTTP API, dashboard, CLI) may ask of the
// scheduler. The loop itself lives in ./loop.ts; this is its public face.
import type { EventEmitter } from 'node:events';
import type { Run } from '../domain/types.js';

export interface SchedulerStatus {
  running: boolean;
  /** The longest the loop sleeps before re-checking the clock (ms). */
  timerCapMs: number;
  tasksScheduled: number;
  runsInProgress: number;
  nextWakeAt: Date | null;
  startedAt: Date | null;
  /** The loop's heartbeat: when its timer last woke it (null before the first wake). */
  lastWakeAt: Date | null;
  node: string;
}

/** Events: 'run' (run: Run) on every status change; 'output' ({runId, order, line}). */
export interface SchedulerEvents extends EventEmitter {}

export interface SchedulerApi {
  readonly events: SchedulerEvents;
  /** A task was created, edited, paused, resumed or reloaded: re-read it and re-plan. */
  taskChanged(taskId: number): Promise<void>;
  /** A task was deleted: forget it and cancel its runs in progress. */
  taskRemoved(taskId: number): Promise<void>;
  /** Run the task now (trigger `manual`), whatever its schedule; resolves once claimed. */
  runNow(taskId: number): Promise<Run>;
  /** Cancels the task's runs in progress; returns the runs that were cancelled. */
  cancel(taskId: number): Promise<Run[]>;
  status(): SchedulerStatus;
}
