// Runs one claimed run: pending -> running (compare-and-set, so only one node ever runs
// it; a run the loop claimed straight into `running` skips this), each action in order,
// then the final status, the task's last-triggered state and, when policy says so, a
// retry claimed as a new pending row.
import type { EventEmitter } from 'node:events';
import type {
  ActionResult,
  Run,
  RunStatus,
  Task,
  TaskAction,
  TriggerError,
} from '../domain/types.js';
import type { TaskScheduleState } from '../store/store.js';
import {
  notRunResult,
  runAction,
  type AbortReason,
  type AbortWaiter,
  type ActionRunDeps,
  type RunAbort,
} from './actionRunner.js';
import { retryDelay } from './overlap.js';

export interface ExecutorDeps extends ActionRunDeps {
  events: EventEmitter;
  node: string | null;
  /** The task's current next occurrence, written back with its last-triggered state. */
  nextTriggerAt(taskId: number): Date | null;
  /** A retry row was claimed (status pending, runAt in the future). */
  onRetry(run: Run): void;
  onError(err: unknown, what: string): void;
}

type FinalStatus = Extract<
  RunStatus,
  'succeeded' | 'failed' | 'timed_out' | 'cancelled' | 'interrupted'
>;

/** One run in progress on this node. */
export class Execution implements RunAbort {
  /** Made on first use of `signal` (see RunAbort); aborted at once if the run already was. */
  private controller: AbortController | null = null;
  private abortReason: AbortReason | undefined;
  /** Told on abort (the running action's settle); see AbortHook. */
  private abortWaiters: AbortWaiter[] | null = null;
  /** Resolves with the finished run, or null when another node (or a cancel) took it first. */
  readonly done: Promise<Run | null>;
  run: Run;

  constructor(
    private readonly deps: ExecutorDeps,
    readonly task: Task,
    claimed: Run,
  ) {
    this.run = claimed;
    this.done = this.execute().catch((err: unknown) => {
      deps.onError(err, `run ${claimed.id} of task ${task.id}`);
      return null;
    });
  }

  get aborted(): boolean {
    return this.abortReason !== undefined;
  }

  get reason(): AbortReason | undefined {
    return this.abortReason;
  }

  /** The AbortSignal actions see as ctx.signal. */
  get signal(): AbortSignal {
    if (this.controller === null) {
      this.controller = new AbortController();
      if (this.abortReason !== undefined) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  /** Stops the run: its action is aborted and the run ends with the reason's status. */
  abort(reason: AbortReason): void {
    if (this.abortReason !== undefined) return;
    this.abortReason = reason;
    this.controller?.abort(reason);
    const waiters = this.abortWaiters;
    this.abortWaiters = null;
    if (waiters) for (const w of waiters) w.handleEvent();
  }

  whenAborted(waiter: AbortWaiter): void {
    (this.abortWaiters ??= []).push(waiter);
  }

  forget(waiter: AbortWaiter): void {
    const i = this.abortWaiters?.indexOf(waiter) ?? -1;
    if (i >= 0) this.abortWaiters!.splice(i, 1);
  }

  private async execute(): Promise<Run | null> {
    const { deps, task } = this;
    // A run the loop claimed straight into `running` starts here, synchronously.
    const running = this.run.status === 'running' ? this.run : await this.start();
    if (!running) return null;
    this.changed(running);
    const timeoutMs = task.policies.timeoutMs ?? deps.config.defaults.timeoutMs;
    const timer = deps.clock.setTimer(() => this.abort('timeout'), timeoutMs);
    const actions = inOrder(task.actions);
    // One action (the common case): its result is the only one, no not_run stand-in first.
    const results: ActionResult[] = actions.length > 1 ? actions.map(notRunResult) : [];
    try {
      for (let i = 0; i < actions.length && !this.aborted; i++) {
        results[i] = await runAction(deps, task, actions[i]!, running, this);
        if (results[i]!.status !== 'succeeded') break;
        // The last action's results go with the final transition (one write less per run).
        if (i < actions.length - 1) await deps.store.runs.saveResults(running.id, results);
      }
    } finally {
      deps.clock.clearTimer(timer);
    }
    if (results.length < actions.length) results.push(notRunResult(actions[0]!)); // aborted first
    return this.finish(running, results, timeoutMs);
  }

  /** pending -> running, compare-and-set: null when another node or a cancel came first. */
  private start(): Promise<Run | null> {
    const startedAt = new Date(this.deps.clock.now());
    return this.deps.store.runs.transition(this.run.id, 'pending', 'running', { startedAt });
  }

  private async finish(
    running: Run,
    results: ActionResult[],
    timeoutMs: number,
  ): Promise<Run | null> {
    const { deps, task } = this;
    const { status, error, triggerError } = outcomeOf(this, results, timeoutMs);
    const finishedAt = new Date(deps.clock.now());
    const durationMs = Math.max(
      0,
      finishedAt.getTime() - (running.startedAt?.getTime() ?? finishedAt.getTime()),
    );
    const fields = { finishedAt, durationMs, error, results };
    // A store that can builds the finished run from the one held here (no row read back).
    const runs = deps.store.runs;
    const done = runs.transitionHeld
      ? await runs.transitionHeld(running, status, fields)
      : await runs.transition(running.id, 'running', status, fields);
    if (done) this.changed(done);
    if (status !== 'succeeded') {
      deps.runLog.write('ERROR', `run ${running.id} ${status}: ${error}`, {
        taskId: task.id,
        runId: running.id,
      });
    }
    const state: TaskScheduleState = {
      nextTriggerAt: deps.nextTriggerAt(task.id),
      lastTriggered: running.startedAt ?? finishedAt,
      lastTriggeredError: triggerError,
    };
    await deps.store.tasks.setScheduleState(task.id, state);
    if (status === 'failed' || status === 'timed_out') await this.retry(running);
    return done;
  }

  private async retry(failed: Run): Promise<void> {
    const { deps, task } = this;
    const retries = task.policies.retries ?? deps.config.defaults.retries;
    if (failed.attempt > retries) return;
    const backoff = task.policies.retryBackoffMs ?? deps.config.defaults.retryBackoffMs;
    const runAt = new Date(deps.clock.now() + retryDelay(failed.attempt, backoff));
    const [claimed] = await deps.store.runs.claim([
      {
        taskId: task.id,
        scheduledFor: failed.scheduledFor,
        attempt: failed.attempt + 1,
        trigger: 'retry',
        status: 'pending',
        runAt,
        node: deps.node,
      },
    ]);
    if (claimed) {
      deps.events.emit('run', claimed);
      deps.onRetry(claimed);
    }
  }

  private changed(run: Run): void {
    this.run = run;
    this.deps.events.emit('run', run);
  }
}

/** The actions by `order` (the store returns them so; copied and sorted only if not). */
function inOrder(actions: TaskAction[]): readonly TaskAction[] {
  for (let i = 1; i < actions.length; i++) {
    if (actions[i - 1]!.order > actions[i]!.order) {
      return [...actions].sort((a, b) => a.order - b.order);
    }
  }
  return actions;
}

interface Outcome {
  status: FinalStatus;
  error: string | null;
  triggerError: TriggerError | null;
}

/** Shared: most runs succeed, and nobody changes an outcome. */
const SUCCEEDED: Outcome = Object.freeze({ status: 'succeeded', error: null, triggerError: null });

/** The run's final status from the abort reason (if any) and the first unsuccessful action. */
export function outcomeOf(
  signal: { readonly aborted: boolean; readonly reason?: unknown },
  results: ActionResult[],
  timeoutMs: number,
): Outcome {
  if (signal.aborted) {
    const reason = signal.reason as AbortReason;
    if (reason === 'timeout') {
      const error = `timed out after ${timeoutMs} ms`;
      return { status: 'timed_out', error, triggerError: { type: 'Timeout', message: error } };
    }
    if (reason === 'shutdown') {
      const error = 'interrupted: the daemon stopped while it ran';
      return {
        status: 'interrupted',
        error,
        triggerError: { type: 'Interrupted', message: error },
      };
    }
    const error = reason === 'replace' ? 'cancelled: replaced by a newer run' : 'cancelled';
    return { status: 'cancelled', error, triggerError: { type: 'Cancelled', message: error } };
  }
  const bad = results.find((r) => r.status !== 'succeeded' && r.status !== 'not_run');
  if (!bad) return SUCCEEDED;
  const error = `action ${bad.order} (${bad.actionClassName}): ${bad.error ?? 'failed'}`;
  const type =
    bad.exitCode !== null ? 'ExitCode' : bad.httpStatus !== null ? 'HttpStatus' : 'Error';
  return { status: 'failed', error, triggerError: { type, message: bad.error ?? 'failed' } };
}
