// Runs one claimed run: pending -> running (compare-and-set, so only one node ever runs
// it; a run the loop claimed straight into `running` skips this), each action in order,
// then the final status with the task's last-triggered state (through the FinishWriter,
// batched per event-loop turn) and, when policy says so, a retry claimed as a new
// pending row. Callbacks rather than async/await on this path: see runAction.
import type { EventEmitter } from 'node:events';
import type { TimerHandle } from '../clock/clock.js';
import type {
  ActionResult,
  Run,
  RunStatus,
  Task,
  TaskAction,
  TriggerError,
} from '../domain/types.js';
import type { FinishedOutcome, RunFields, TaskScheduleState } from '../store/store.js';
import {
  notRunResult,
  runAction,
  type AbortReason,
  type AbortWaiter,
  type ActionRunDeps,
  type ActionSink,
  type RunAbort,
} from './actionRunner.js';
import type { FinishRequest, FinishWriter } from './finishWriter.js';
import { retryDelay } from './overlap.js';

export interface ExecutorDeps extends ActionRunDeps {
  events: EventEmitter;
  node: string | null;
  /** Writes finished runs (batched). */
  finisher: FinishWriter;
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

const NO_FIELDS: RunFields = Object.freeze({});
const NO_STATE: TaskScheduleState = Object.freeze({ nextTriggerAt: null });

/**
 * One run in progress on this node. Its steps: start (or begin, if claimed running) ->
 * one action after another (actionDone) -> finish (queued on the FinishWriter) ->
 * finished -> retry when due -> end. `onEnd` is told exactly once.
 */
export class Execution implements RunAbort, ActionSink, FinishRequest {
  /** Made on first use of `signal` (see RunAbort); aborted at once if the run already was. */
  private controller: AbortController | null = null;
  private abortReason: AbortReason | undefined;
  /** Told on abort (the running action's settle); see AbortHook. */
  private abortWaiters: AbortWaiter[] | null = null;
  private donePromise: Promise<Run | null> | null = null;
  private resolveDone: ((run: Run | null) => void) | null = null;
  private ended = false;
  private constructing = false;
  private endedWith: Run | null = null;
  private timer: TimerHandle | null = null;
  private actions: readonly TaskAction[] = [];
  private results: ActionResult[] = [];
  private index = 0;
  private timeoutMs = 0;
  run: Run;
  // The FinishRequest, filled in by finish().
  held!: Run;
  to: FinalStatus = 'succeeded';
  fields: RunFields = NO_FIELDS;
  state: TaskScheduleState = NO_STATE;

  constructor(
    private readonly deps: ExecutorDeps,
    readonly task: Task,
    claimed: Run,
    private readonly onEnd: (exec: Execution) => void = () => undefined,
  ) {
    this.run = claimed;
    // A run the loop claimed straight into `running` starts here, synchronously.
    this.constructing = true;
    if (claimed.status === 'running') this.begin(claimed);
    else this.start();
    this.constructing = false;
    // Ended already (it failed at once): the owner hears of it after it has the execution.
    if (this.ended) queueMicrotask(() => this.onEnd(this));
  }

  get taskId(): number {
    return this.task.id;
  }

  /** Resolves with the finished run, or null when another node (or a cancel) took it first. */
  get done(): Promise<Run | null> {
    this.donePromise ??= this.ended
      ? Promise.resolve(this.endedWith)
      : new Promise<Run | null>((resolve) => (this.resolveDone = resolve));
    return this.donePromise;
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

  /** pending -> running, compare-and-set: ends with null when another node or a cancel came first. */
  private start(): void {
    const startedAt = new Date(this.deps.clock.now());
    this.deps.store.runs.transition(this.run.id, 'pending', 'running', { startedAt }).then(
      (running) => (running ? this.begin(running) : this.end(null)),
      (err: unknown) => this.fail(err),
    );
  }

  private begin(running: Run): void {
    try {
      const { deps, task } = this;
      this.held = running;
      this.changed(running);
      this.timeoutMs = task.policies.timeoutMs ?? deps.config.defaults.timeoutMs;
      this.timer = deps.clock.setTimer(() => this.abort('timeout'), this.timeoutMs);
      this.actions = inOrder(task.actions);
      // One action (the common case): its result is the only one, no not_run stand-in first.
      if (this.actions.length > 1) this.results = this.actions.map(notRunResult);
      this.next();
    } catch (err) {
      this.fail(err);
    }
  }

  /** Starts the next action, or finishes the run. */
  private next(): void {
    const action = this.actions[this.index];
    if (action === undefined || this.aborted) return this.finish();
    runAction(this.deps, this.task, action, this.held, this, this);
  }

  /** ActionSink: the current action's result. */
  actionDone(result: ActionResult): void {
    try {
      const i = this.index++;
      this.results[i] = result;
      if (result.status !== 'succeeded' || this.index >= this.actions.length) return this.finish();
      // The results so far are saved between actions; the last go with the final status.
      this.deps.store.runs.saveResults(this.held.id, this.results).then(
        () => this.next(),
        (err: unknown) => this.fail(err),
      );
    } catch (err) {
      this.fail(err);
    }
  }

  /** Works out the final status and queues its write on the FinishWriter. */
  private finish(): void {
    const { deps, task, held, results } = this;
    this.disarm();
    if (results.length < this.actions.length) results.push(notRunResult(this.actions[0]!)); // aborted first
    const { status, error, triggerError } = outcomeOf(this, results, this.timeoutMs);
    const finishedAt = new Date(deps.clock.now());
    const startedAt = held.startedAt ?? finishedAt;
    this.to = status;
    this.fields = {
      finishedAt,
      durationMs: Math.max(0, finishedAt.getTime() - startedAt.getTime()),
      error,
      results,
    };
    this.state = {
      nextTriggerAt: deps.nextTriggerAt(task.id),
      lastTriggered: startedAt,
      lastTriggeredError: triggerError,
    };
    if (status !== 'succeeded') {
      deps.runLog.write('ERROR', `run ${held.id} ${status}: ${error}`, {
        taskId: task.id,
        runId: held.id,
      });
    }
    deps.finisher.add(this);
  }

  /** FinishRequest: the final status is stored (or was not, see FinishWriter). */
  finished(outcome: FinishedOutcome): void {
    if (outcome instanceof Error) return this.fail(outcome);
    if (outcome) this.changed(outcome);
    if (this.to !== 'failed' && this.to !== 'timed_out') return this.end(outcome);
    this.retry(this.held).then(
      () => this.end(outcome),
      (err: unknown) => {
        this.deps.onError(err, `claiming a retry of run ${this.held.id} of task ${this.task.id}`);
        this.end(outcome);
      },
    );
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

  private disarm(): void {
    if (this.timer !== null) this.deps.clock.clearTimer(this.timer);
    this.timer = null;
  }

  /** Something threw or a write failed: reported, and the run ends without a final row. */
  private fail(err: unknown): void {
    this.disarm();
    this.deps.onError(err, `run ${this.run.id} of task ${this.task.id}`);
    this.end(null);
  }

  private end(run: Run | null): void {
    if (this.ended) return;
    this.ended = true;
    this.endedWith = run;
    this.resolveDone?.(run);
    if (!this.constructing) this.onEnd(this);
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
