// Runs one action of a run: builds its ActionContext, captures its output (capped) and
// turns whatever happens (outcome, throw, abort) into an ActionResult.
import type { ActionContext, ActionOutcome, ActionType } from '../actions/contract.js';
import { resolveEnvRefs } from '../actions/envRefs.js';
import { TaskrError } from '../errors.js';
import type { Clock } from '../clock/clock.js';
import type { Config } from '../config/config.js';
import type { ActionResult, Run, Task, TaskAction } from '../domain/types.js';
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
  signal: AbortSignal,
): Promise<ActionResult> {
  const result = notRunResult(action);
  result.startedAt = new Date(deps.clock.now());
  const ids = { taskId: task.id, actionId: action.id, runId: run.id };
  const cap = deps.config.runs.outputCapBytes;
  let bytes = 0;
  const ctx: ActionContext = {
    signal,
    task,
    action,
    run,
    clock: deps.clock,
    config: deps.config,
    store: deps.store,
    logger: { log: (level, data) => void deps.runLog.write(level, data, ids) },
    output(line) {
      // The log gets every line; the run keeps the first outputCapBytes.
      deps.runLog.write('INFO', line, ids);
      deps.onOutput(run.id, action.order, line);
      if (result.outputTruncated) return;
      const size = Buffer.byteLength(line) + 1;
      if (bytes + size > cap) {
        result.outputTruncated = true;
        return;
      }
      bytes += size;
      result.output += `${line}\n`;
    },
    resolveEnv: (value) => resolveEnvRefs(value, deps.env),
  };
  const outcome = await settle(deps, action, ctx, signal);
  result.finishedAt = new Date(deps.clock.now());
  result.exitCode = outcome.exitCode ?? null;
  result.httpStatus = outcome.httpStatus ?? null;
  if (signal.aborted) {
    const reason = signal.reason as AbortReason;
    result.status =
      reason === 'timeout' ? 'timed_out' : reason === 'shutdown' ? 'interrupted' : 'cancelled';
    result.error = outcome.error ?? result.status;
  } else {
    result.status = outcome.ok ? 'succeeded' : 'failed';
    result.error = outcome.ok ? null : (outcome.error ?? 'failed');
  }
  return result;
}

/** The action's outcome, a throw turned into a failure, or a stand-in once an abort outlasts the settle grace. */
async function settle(
  deps: ActionRunDeps,
  action: TaskAction,
  ctx: ActionContext,
  signal: AbortSignal,
): Promise<ActionOutcome> {
  const type = deps.registry.resolve(action.actionClassName);
  if (!type) {
    return {
      ok: false,
      error: new TaskrError('action.unknown_type', {
        name: action.actionClassName,
        known: '(see GET /actions)',
      }).message,
    };
  }
  if (deps.registry.isAllowed && !deps.registry.isAllowed(type)) {
    return {
      ok: false,
      error: new TaskrError('action.disallowed_type', { name: type.name }).message,
    };
  }
  const running = Promise.resolve()
    .then(() => type.run(action.parameters, ctx))
    .catch((err: unknown): ActionOutcome => ({ ok: false, error: errorText(err) }));
  let onAbort: (() => void) | undefined;
  let settleTimer: NodeJS.Timeout | undefined;
  const abandoned = new Promise<ActionOutcome>((resolve) => {
    onAbort = () => {
      settleTimer = setTimeout(
        () =>
          resolve({
            ok: false,
            error: `did not stop within ${ABORT_SETTLE_MS} ms of ${String(signal.reason)}`,
          }),
        ABORT_SETTLE_MS,
      );
      settleTimer.unref();
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([running, abandoned]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
    if (settleTimer) clearTimeout(settleTimer);
  }
}

function errorText(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}
