// The narrow storage interface the scheduler, the actions and the HTTP API use.
// TypeORM stays behind it (src/store/typeorm/*); nothing outside src/store imports TypeORM.
import type {
  ActionInput,
  ActionResult,
  LogEntry,
  LogLevel,
  Run,
  RunStatus,
  RunTrigger,
  Task,
  TaskPolicies,
  ScheduleMethod,
  TriggerError,
} from '../domain/types.js';

/** A fully validated task to insert or replace (actions already canonical and validated). */
export interface TaskRecordInput {
  name: string;
  memo: string | null;
  scheduleMethod: ScheduleMethod;
  scheduleWhen: string;
  timezone: string | null;
  enabled: boolean;
  policies: TaskPolicies;
  createdBy: string | null;
  nextTriggerAt: Date | null;
  actions: ActionInput[];
}

export interface TaskListQuery {
  /** Case-insensitive substring of the name. */
  q?: string;
  enabled?: boolean;
  /** Status of the task's latest run (e.g. failed), or `expired` for fired one-shots. */
  status?: string;
  offset?: number;
  limit?: number;
}

/** The scheduling state the loop writes back after firing. */
export interface TaskScheduleState {
  nextTriggerAt: Date | null;
  lastTriggered?: Date | null;
  lastTriggeredError?: TriggerError | null;
}

export interface TaskStore {
  /** Inserts the task and its actions in one transaction. Throws task.name_taken on a duplicate. */
  create(input: TaskRecordInput, now: Date): Promise<Task>;
  /**
   * Replaces every field and the whole action list in one transaction (never appends).
   * Throws task.not_found / task.name_taken; on error nothing is changed.
   */
  update(id: number, input: TaskRecordInput, now: Date): Promise<Task>;
  get(id: number): Promise<Task | null>;
  getByName(name: string): Promise<Task | null>;
  getMany(ids: readonly number[]): Promise<Task[]>;
  list(query?: TaskListQuery): Promise<{ tasks: Task[]; total: number }>;
  /** Every task, with actions, for the scheduler to load at start-up. */
  all(): Promise<Task[]>;
  /** Deletes the task, its actions, runs and log entries. Returns false if it did not exist. */
  delete(id: number): Promise<boolean>;
  setEnabled(id: number, enabled: boolean, nextTriggerAt: Date | null, now: Date): Promise<Task>;
  setScheduleState(id: number, state: TaskScheduleState): Promise<void>;
  count(): Promise<number>;
}

/** A run to claim: the claim key is (taskId, scheduledFor, attempt). */
export interface RunClaim {
  taskId: number;
  scheduledFor: Date;
  attempt: number;
  trigger: RunTrigger;
  /** pending, or skipped/missed rows recorded directly. */
  status: Extract<RunStatus, 'pending' | 'skipped' | 'missed'>;
  runAt: Date;
  node: string | null;
  error?: string | null;
  missedCount?: number | null;
}

export interface RunFields {
  startedAt?: Date | null;
  finishedAt?: Date | null;
  durationMs?: number | null;
  error?: string | null;
  results?: ActionResult[];
}

export interface RunListQuery {
  taskId?: number;
  status?: RunStatus[];
  offset?: number;
  limit?: number;
}

/** How interruptRunning asks for pending runs too, and which finish instant it writes. */
export interface InterruptOptions {
  /** Also interrupt `pending` runs whose runAt is before this instant. */
  pendingDueBefore?: Date;
  /** finished_at written on the interrupted runs (default: the current time). */
  at?: Date;
}

export interface RunStore {
  /**
   * Atomically claims occurrences: inserts each row unless a run with the same
   * (taskId, scheduledFor, attempt) exists. Returns only the rows this call inserted,
   * in input order. Two schedulers sharing a database never both get the same claim.
   */
  claim(claims: readonly RunClaim[]): Promise<Run[]>;
  /**
   * Compare-and-set status change: applies only if the row is still in `from`
   * (the transition table is checked first and throws on an illegal pair).
   * Returns the updated run, or null if the row was no longer in `from`.
   */
  transition(id: number, from: RunStatus, to: RunStatus, fields?: RunFields): Promise<Run | null>;
  /** Saves the per-action results so far (called as each action finishes). */
  saveResults(id: number, results: ActionResult[]): Promise<void>;
  get(id: number): Promise<Run | null>;
  list(query: RunListQuery): Promise<{ runs: Run[]; total: number }>;
  /** Runs in `pending` or `running` (optionally only for one task). */
  active(taskId?: number): Promise<Run[]>;
  /**
   * Marks every `running` run (and `pending` runs whose runAt passed, if asked) as
   * `interrupted` with the given error. With node given, only that node's runs.
   */
  interruptRunning(error: string, node?: string | null, opts?: InterruptOptions): Promise<number>;
  /** Deletes finished runs that finished before the instant; returns how many. */
  pruneFinished(before: Date): Promise<number>;
}

export interface LogQuery {
  taskId?: number;
  runId?: number;
  since?: Date;
  /** Keeps this level and more severe ones. */
  level?: LogLevel;
  /** Only entries with an id greater than this (for following a log). */
  afterId?: number;
  limit?: number;
  /** Default newest first; `asc` for oldest first. */
  order?: 'asc' | 'desc';
}

export interface LogStore {
  append(entries: Omit<LogEntry, 'id'>[]): Promise<void>;
  list(query: LogQuery): Promise<LogEntry[]>;
  prune(before: Date): Promise<number>;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  readonly tasks: TaskStore;
  readonly runs: RunStore;
  readonly logs: LogStore;
  /** Database time in ms since the epoch (cluster mode measures skew against it). */
  databaseNow(): Promise<number>;
  close(): Promise<void>;
}
