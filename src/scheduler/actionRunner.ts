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

const RESOLVED = Promise.resolve();

/** Told once with an action's result (the executor's Execution is one). */
export interface ActionSink {
  actionDone(result: ActionResult): void;
}

/**
 * Runs the action to its end (or its abort) and tells the sink its result; never throws.
 * Callbacks, not async/await: at 10,000 runs a second every promise and async frame per
 * run shows in garbage-collection pauses. The action itself starts in a microtask, so
 * every run of a wake starts before any action code runs.
 */
export function runAction(
  deps: ActionRunDeps,
  task: Task,
  action: TaskAction,
  run: Run,
  abort: RunAbort,
  sink: ActionSink,
): void {
  const result = notRunResult(action);
  result.startedAt = new Date(deps.clock.now());
  const settler = new Settler(deps, abort, result, sink);
  const type = deps.registry.resolve(action.actionClassName);
  if (!type) {
    const error = new TaskrError('action.unknown_type', {
      name: action.actionClassName,
      known: '(see GET /actions)',
    }).message;
    return settler.finish({ ok: false, error });
  }
  if (deps.registry.isAllowed && !deps.registry.isAllowed(type)) {
    const error = new TaskrError('action.disallowed_type', { name: type.name }).message;
    return settler.finish({ ok: false, error });
  }
  if (abort.aborted) settler.handleEvent();
  else abort.whenAborted(settler);
  const ctx = new RunContext(deps, task, action, run, abort, result);
  // A promise reaction, not queueMicrotask: that one allocates an AsyncResource per call.
  void RESOLVED.then(() => settler.start(type, action.parameters, ctx));
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

/**
 * Settles one action: with its outcome, or with a stand-in once an abort has outlasted
 * ABORT_SETTLE_MS, whichever comes first; then fills in the result and tells the sink.
 * A class rather than closures: see runAction.
 */
class Settler implements AbortWaiter {
  private settled = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: ActionRunDeps,
    private readonly abort: RunAbort,
    private readonly result: ActionResult,
    private readonly sink: ActionSink,
  ) {}

  /** Runs the action; a throw or a rejection is a failure, whatever it returns is checked. */
  start(type: ActionType<unknown>, params: unknown, ctx: ActionContext): void {
    if (this.settled) return;
    let out: Promise<ActionOutcome>;
    try {
      out = type.run(params, ctx);
    } catch (err) {
      return this.finish({ ok: false, error: errorText(err) });
    }
    if (out !== null && typeof out === 'object' && typeof out.then === 'function') {
      out.then(
        (outcome) => this.finish(outcome),
        (err: unknown) => this.finish({ ok: false, error: errorText(err) }),
      );
    } else this.finish(out as unknown as ActionOutcome | undefined);
  }

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

  finish(outcome: ActionOutcome | null | undefined): void {
    if (this.settled) return;
    this.settled = true;
    this.abort.forget(this);
    if (this.timer) clearTimeout(this.timer);
    const { result, abort } = this;
    // A plugin that resolves with nothing usable has failed, and says so.
    const o: ActionOutcome =
      outcome !== null && typeof outcome === 'object'
        ? outcome
        : { ok: false, error: `the action returned ${String(outcome)}, not an outcome` };
    result.finishedAt = new Date(this.deps.clock.now());
    result.exitCode = o.exitCode ?? null;
    result.httpStatus = o.httpStatus ?? null;
    if (abort.aborted) {
      const reason = abort.reason;
      result.status =
        reason === 'timeout' ? 'timed_out' : reason === 'shutdown' ? 'interrupted' : 'cancelled';
      result.error = o.error ?? result.status;
    } else {
      result.status = o.ok ? 'succeeded' : 'failed';
      result.error = o.ok ? null : (o.error ?? 'failed');
    }
    this.sink.actionDone(result);
  }
}

function errorText(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}
