// Runs one action of a run: builds its ActionContext, captures its output (capped) and
// turns whatever happens (outcome, throw, abort) into an ActionResult.
import type {
  ActionContext,
  ActionLogger,
  ActionOutcome,
  ActionType,
} from '../actions/contract.js';
import { resolveEnvRefs } from '../actions/envRefs.js';
import { TaskrError } from '../errors.js';
import type { Clock } from '../clock/clock.js';
import type { Config } from '../config/config.js';
import type { ActionResult, LogLevel, Run, Task, TaskAction } from '../domain/types.js';
import type { RunLog } from '../runlog/runLog.js';
import type { Store } from '../store/store.js';

/** Finds an action type by its stored name (ActionRegistry satisfies it). */
export interface ActionResolver {
  resolve(name: string): ActionType<unknown> | undefined;
  /** The config's actions.allow list, checked again at run time (it may have changed). */
  isAllowed?(type: ActionType<unknown>): boolean;
}

/**
 * After an abort, how long the action may take to wind down (kill its process tree)
 * before the run ends without it. Real time: it is about real processes, like the
 * kill grace in src/process/spawnTree.ts, not about scheduler time.
 */
export const ABORT_SETTLE_MS = 5000;

export type AbortReason = 'timeout' | 'cancel' | 'replace' | 'shutdown';

/** Told once when the run is aborted (the shape EventTarget accepts as a listener too). */
export interface AbortWaiter {
  handleEvent(): void;
}

/**
 * Who aborts the signal can also call back directly: cheaper than an 'abort' listener on
 * the AbortSignal (Node's EventTarget allocates per listener), which matters at 10,000
 * runs a second. The executor's Execution is one.
 */
export interface AbortHook {
  /** Tells the waiter once when the run is aborted (not if it already was). */
  whenAborted(waiter: AbortWaiter): void;
  forget(waiter: AbortWaiter): void;
}

/**
 * The run's abort state as runAction sees it. `signal` (the AbortSignal handed to the
 * action as ctx.signal) may be made on first use: most actions never look at it, and an
 * AbortController costs more than the rest of a no-op run.
 */
export interface RunAbort extends AbortHook {
  readonly aborted: boolean;
  readonly reason: AbortReason | undefined;
  readonly signal: AbortSignal;
}

export interface ActionRunDeps {
  store: Store;
  registry: ActionResolver;
  clock: Clock;
  config: Readonly<Config>;
  runLog: RunLog;
  env: NodeJS.ProcessEnv;
  onOutput(runId: number, order: number, line: string): void;
}

export function notRunResult(action: TaskAction): ActionResult {
  return {
    actionId: action.id,
    order: action.order,
    actionClassName: action.actionClassName,
    status: 'not_run',
    exitCode: null,
    httpStatus: null,
    error: null,
    output: '',
    outputTruncated: false,
    startedAt: null,
    finishedAt: null,
  };
}

/** Runs the action to its end (or its abort) and returns its result; never throws. */
export async function runAction(
  deps: ActionRunDeps,
  task: Task,
  action: TaskAction,
  run: Run,
  abort: RunAbort,
): Promise<ActionResult> {
  const result = notRunResult(action);
  result.startedAt = new Date(deps.clock.now());
  const ctx = new RunContext(deps, task, action, run, abort, result);
  const outcome = await settle(deps, action, ctx, abort);
  result.finishedAt = new Date(deps.clock.now());
  result.exitCode = outcome.exitCode ?? null;
  result.httpStatus = outcome.httpStatus ?? null;
  if (abort.aborted) {
    const reason = abort.reason;
    result.status =
      reason === 'timeout' ? 'timed_out' : reason === 'shutdown' ? 'interrupted' : 'cancelled';
    result.error = outcome.error ?? result.status;
  } else {
    result.status = outcome.ok ? 'succeeded' : 'failed';
    result.error = outcome.ok ? null : (outcome.error ?? 'failed');
  }
  return result;
}

/**
 * The ActionContext of one action run. A class, so its methods live on the prototype: an
 * object literal made a closure per method (and tsx renames each) per run, which shows at
 * 10,000 runs a second. It is also its own `logger`, and the ids the log entries carry.
 */
class RunContext implements ActionContext, ActionLogger {
  readonly taskId: number;
  readonly actionId: number;
  readonly runId: number;
  readonly clock: Clock;
  readonly config: Readonly<Config>;
  readonly store: Store;
  /** Bytes of output kept so far (at most config.runs.outputCapBytes). */
  private bytes = 0;

  constructor(
    private readonly deps: ActionRunDeps,
    readonly task: Task,
    readonly action: TaskAction,
    readonly run: Run,
    private readonly abort: RunAbort,
    private readonly result: ActionResult,
  ) {
    this.taskId = task.id;
    this.actionId = action.id;
    this.runId = run.id;
    this.clock = deps.clock;
    this.config = deps.config;
    this.store = deps.store;
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  get logger(): ActionLogger {
    return this;
  }

  log(level: LogLevel, data: string): void {
    this.deps.runLog.write(level, data, this);
  }

  output(line: string): void {
    // The log gets every line; the run keeps the first outputCapBytes.
    const { deps, result } = this;
    deps.runLog.write('INFO', line, this);
    deps.onOutput(this.runId, this.action.order, line);
    if (result.outputTruncated) return;
    const size = Buffer.byteLength(line) + 1;
    if (this.bytes + size > deps.config.runs.outputCapBytes) {
      result.outputTruncated = true;
      return;
    }
    this.bytes += size;
    result.output += `${line}\n`;
  }

  resolveEnv(value: string): string {
    return resolveEnvRefs(value, this.deps.env);
  }
}

/** The action's outcome, a throw turned into a failure, or a stand-in once an abort outlasts the settle grace. */
function settle(
  deps: ActionRunDeps,
  action: TaskAction,
  ctx: ActionContext,
  abort: RunAbort,
): Promise<ActionOutcome> {
  const type = deps.registry.resolve(action.actionClassName);
  if (!type) {
    return Promise.resolve({
      ok: false,
      error: new TaskrError('action.unknown_type', {
        name: action.actionClassName,
        known: '(see GET /actions)',
      }).message,
    });
  }
  if (deps.registry.isAllowed && !deps.registry.isAllowed(type)) {
    return Promise.resolve({
      ok: false,
      error: new TaskrError('action.disallowed_type', { name: type.name }).message,
    });
  }
  const settler = new Settler(abort);
  const done = new Promise<ActionOutcome>((resolve) => (settler.resolve = resolve));
  if (abort.aborted) settler.handleEvent();
  else abort.whenAborted(settler);
  // The action starts in a microtask, as before: every run of a tick starts first.
  Promise.resolve()
    .then(() => type.run(action.parameters, ctx))
    .then(
      (outcome) => settler.finish(outcome),
      (err: unknown) => settler.finish({ ok: false, error: errorText(err) }),
    );
  return done;
}

/**
 * Settles one action: with its outcome, or with a stand-in once an abort has outlasted
 * ABORT_SETTLE_MS, whichever comes first. A class rather than closures: see runAction.
 */
class Settler implements AbortWaiter {
  /** Set by settle() from the Promise executor, before anything can call finish(). */
  resolve!: (outcome: ActionOutcome) => void;
  private settled = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly abort: RunAbort) {}

  /** The run was aborted: give the action ABORT_SETTLE_MS to wind down. */
  handleEvent(): void {
    if (this.settled || this.timer) return;
    this.timer = setTimeout(
      () =>
        this.finish({
          ok: false,
          error: `did not stop within ${ABORT_SETTLE_MS} ms of ${String(this.abort.reason)}`,
        }),
      ABORT_SETTLE_MS,
    );
    this.timer.unref();
  }

  finish(outcome: ActionOutcome): void {
    if (this.settled) return;
    this.settled = true;
    this.abort.forget(this);
    if (this.timer) clearTimeout(this.timer);
    this.resolve(outcome);
  }
}

function errorText(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}
