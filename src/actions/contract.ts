// The contract every action type (one file each in ./actions) exports.
import type { Clock } from '../clock/clock.js';
import type { LogLevel, Run, Task, TaskAction } from '../domain/types.js';
import type { Config } from '../config/config.js';
import type { Store } from '../store/store.js';

export type ParamType = 'string' | 'text' | 'integer' | 'number' | 'boolean' | 'object' | 'json';

export interface ParamSpec {
  name: string;
  type: ParamType;
  required: boolean;
  default?: unknown;
  description: string;
  /** Never shown by the API, the dashboard or the logs. */
  secret?: boolean;
  /** Allowed values, when the parameter is an enumeration. */
  enum?: readonly string[];
}

/** Parameter names no action type may declare (they belong to the action row). */
export const RESERVED_PARAM_NAMES = ['id', 'order', 'action_class_name'] as const;

export type ValidateResult<P> =
  { ok: true; params: P } | { ok: false; errors: { param: string; message: string }[] };

/** What an action reports when it ends normally (a throw means failed with that error). */
export interface ActionOutcome {
  ok: boolean;
  exitCode?: number | null;
  httpStatus?: number | null;
  /** Why it failed, in one line (e.g. "exit code 3"). */
  error?: string | null;
}

export interface ActionLogger {
  /** Writes one log entry (a line of output, or a message) for this run and action. */
  log(level: LogLevel, data: string): void;
}

export interface ActionContext {
  /** Aborted on timeout (reason 'timeout') or cancel (reason 'cancel'). */
  signal: AbortSignal;
  logger: ActionLogger;
  /** Each line of output, as it arrives: stored in the run's captured output and the log. */
  output(line: string, stream?: 'stdout' | 'stderr'): void;
  task: Task;
  action: TaskAction;
  run: Run;
  clock: Clock;
  config: Readonly<Config>;
  store: Store;
  /** Resolves `${env:NAME}` references in a parameter value at run time. */
  resolveEnv(value: string): string;
}

export interface ActionType<P = Record<string, unknown>> {
  /** Canonical name, as stored in action_class_name (e.g. `Shell`). */
  name: string;
  /** Other accepted names (e.g. `Rest` for Webhook); matched case-insensitively. */
  aliases?: readonly string[];
  description: string;
  params: readonly ParamSpec[];
  /** Checks raw parameters and returns typed ones, or errors naming each parameter. */
  validate(raw: Record<string, unknown>, config: Readonly<Config>): ValidateResult<P>;
  run(params: P, ctx: ActionContext): Promise<ActionOutcome>;
}

/** Declares an action type with its parameter type inferred. */
export function defineActionType<P>(type: ActionType<P>): ActionType<P> {
  return type;
}
