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

/** A task's next occurrence, as the loop writes it back after planning. */
export interface NextTrigger {
  id: number;
  nextTriggerAt: Date | null;
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
  /**
   * Optional fast path for the scheduler: the next_trigger_at of many tasks in one call
   * (one transaction), as setScheduleState({ nextTriggerAt }) for each would write.
   */
  setNextTriggers?(entries: readonly NextTrigger[]): Promise<void>;
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

/** A claim for claimAndStart: `start` asks for a won `pending` row to be started at once. */
export interface StartClaim extends RunClaim {
  start?: boolean;
}

/** One won claim of claimAndStart: the row as inserted, and the same row once started. */
export interface ClaimedStart {
  claimed: Run;
  /** The run in `running` (startedAt set) when it was started; null otherwise. */
  running: Run | null;
}

export interface RunFields {
  startedAt?: Date | null;
  finishedAt?: Date | null;
  durationMs?: number | null;
  error?: string | null;
  results?: ActionResult[];
}

/** One finished run for RunStore.finishHeld. */
export interface FinishedRun {
  /** The run as held (and stored), in status `running`. */
  readonly held: Run;
  readonly to: RunStatus;
  readonly fields: RunFields;
  readonly taskId: number;
  readonly state: TaskScheduleState;
}

export type FinishedOutcome = Run | null | Error;

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
   * Optional fast path for the scheduler: claim() plus, in the SAME transaction, the
   * transition pending -> running (startedAt) of every won row whose claim has `start`.
   * The claim is won before the run is started, exactly as with claim() then transition();
   * it only saves a commit and a round trip. `nextTriggers`, when given, are written too
   * (as setNextTriggers would; in the same transaction where that cannot deadlock with
   * another claimer, i.e. on SQLite). Returns the won claims in input order.
   */
  claimAndStart?(
    claims: readonly StartClaim[],
    startedAt: Date,
    nextTriggers?: readonly NextTrigger[],
  ): Promise<ClaimedStart[]>;
  /**
   * Compare-and-set status change: applies only if the row is still in `from`
   * (the transition table is checked first and throws on an illegal pair).
   * Returns the updated run, or null if the row was no longer in `from`.
   */
  transition(id: number, from: RunStatus, to: RunStatus, fields?: RunFields): Promise<Run | null>;
  /**
   * Optional fast path of transition(run.id, run.status, to, fields) for a run the caller
   * holds as stored (the scheduler's executing run): the same compare-and-set, but the
   * result is `run` with `to` and the fields applied instead of a row read back.
   */
  transitionHeld?(run: Run, to: RunStatus, fields?: RunFields): Promise<Run | null>;
  /**
   * Optional batch for the scheduler: for each run it held as `running`, the same
   * compare-and-set as transitionHeld(held, to, fields), then its task's schedule state as
   * setScheduleState(taskId, state) writes it. Each outcome is the finished run, null when
   * the run was no longer in its held status, or the Error that item met. A store may
   * write the whole batch in one transaction; the promise rejects only if none was written.
   */
  finishHeld?(items: readonly FinishedRun[]): Promise<FinishedOutcome[]>;
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

/** A node's standing in the cluster: `dead` when another node found its lease expired. */
export type NodeStatus = 'alive' | 'dead' | 'stopped';

export interface NodeRecord {
  name: string;
  startedAt: Date;
  /** Database time of the node's last heartbeat. */
  lastHeartbeat: Date;
  runsInProgress: number;
  version: string;
  /** The node's HTTP base URL, when it listens. */
  address: string | null;
  status: NodeStatus;
  /** The node's clock minus the database's, measured at its last heartbeat (ms). */
  clockSkewMs: number | null;
}

/** A node as listed: `alive` is its status AND a heartbeat within the lease (database time). */
export interface NodeListing extends NodeRecord {
  alive: boolean;
}

/** What a node reports at registration and each heartbeat. */
export interface NodeBeat {
  name: string;
  version: string;
  address: string | null;
  runsInProgress: number;
  clockSkewMs: number | null;
}

/** A listener on the cluster's event channel; close() ends it. */
export interface ClusterEventListener {
  close(): Promise<void>;
}

/**
 * Cluster membership and the cluster's event channel. Every lease decision is made in SQL
 * with the database's clock, never a node's wall clock.
 */
export interface NodeStore {
  /** Inserts or revives the node (status alive, started_at and heartbeat = database time). */
  register(beat: NodeBeat): Promise<NodeRecord>;
  /**
   * Refreshes the heartbeat of a node still `alive`; returns the database time written (ms),
   * or null when the row is not alive any more (another node declared it dead).
   */
  heartbeat(beat: NodeBeat): Promise<number | null>;
  /** Every node, newest start first. */
  list(leaseMs: number): Promise<NodeListing[]>;
  /** Names of alive nodes whose heartbeat is within the lease. */
  live(leaseMs: number): Promise<string[]>;
  /** Names of nodes still marked alive whose heartbeat is older than the lease. */
  expired(leaseMs: number): Promise<string[]>;
  /** Atomically marks an expired node dead: true for exactly one caller. */
  markDead(name: string, leaseMs: number): Promise<boolean>;
  /** The node's runs in `running`. */
  runningRuns(name: string): Promise<Run[]>;
  /** Hands every `pending` run of node `from` to node `to`; returns them. */
  reassignPending(from: string, to: string): Promise<Run[]>;
  /** A clean shutdown: status stopped. */
  leave(name: string): Promise<void>;
  /** Forgets dead and stopped nodes whose last heartbeat is older than this (ms). */
  prune(olderThanMs: number): Promise<number>;
  /** Tasks whose updated_on is after the instant (the polling fallback for missed events). */
  tasksChangedSince(since: Date): Promise<{ id: number; updatedOn: Date }[]>;
  /** The latest updated_on of any task, or null without tasks. */
  latestTaskUpdate(): Promise<Date | null>;
  taskIds(): Promise<number[]>;
  /** Sends an event to every listening node (PostgreSQL NOTIFY; nothing on SQLite). */
  publish(payload: string): Promise<void>;
  /**
   * Listens on a dedicated connection (PostgreSQL LISTEN), reconnecting when it drops;
   * null on SQLite (single node: nobody else to hear from).
   */
  listen(
    onEvent: (payload: string) => void,
    onProblem: (err: Error) => void,
  ): Promise<ClusterEventListener | null>;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  readonly tasks: TaskStore;
  readonly runs: RunStore;
  readonly logs: LogStore;
  readonly nodes: NodeStore;
  /** Database time in ms since the epoch (cluster mode measures skew against it). */
  databaseNow(): Promise<number>;
  /**
   * Optional: readies what the scheduler's firing path uses (SQLite: prepares its
   * statements), so the first occurrence after start-up does not pay for it.
   */
  warmUp?(): void;
  close(): Promise<void>;
}
