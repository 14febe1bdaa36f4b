// The domain model shared by the store, the scheduler, the actions and the HTTP API.
// Plain data only: no TypeORM, no Koa. Instants are JavaScript Dates (UTC inside).

export const SCHEDULE_METHODS = ['in', 'every', 'at', 'cron'] as const;
export type ScheduleMethod = (typeof SCHEDULE_METHODS)[number];

export const OVERLAP_POLICIES = ['skip', 'allow', 'queue', 'replace'] as const;
export type OverlapPolicy = (typeof OVERLAP_POLICIES)[number];

export const MISFIRE_POLICIES = ['skip', 'run_once', 'run_all'] as const;
export type MisfirePolicy = (typeof MISFIRE_POLICIES)[number];

export const RUN_TRIGGERS = ['schedule', 'manual', 'catch_up', 'retry'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

export const RUN_STATUSES = [
  'pending',
  'running',
  'succeeded',
  'failed',
  'timed_out',
  'cancelled',
  'skipped',
  'missed',
  'interrupted',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Per-task policies; a null field means "use the daemon's configured default". */
export interface TaskPolicies {
  overlap: OverlapPolicy | null;
  misfire: MisfirePolicy | null;
  /** Run timeout in milliseconds. */
  timeoutMs: number | null;
  /** Extra attempts after a failed or timed-out run. */
  retries: number | null;
  /** Delay before the first retry; doubles for each further attempt. */
  retryBackoffMs: number | null;
}

/** Every policy left to the daemon's defaults (config `defaults`). */
export const INHERITED_POLICIES: Readonly<TaskPolicies> = Object.freeze({
  overlap: null,
  misfire: null,
  timeoutMs: null,
  retries: null,
  retryBackoffMs: null,
});

export interface TaskAction {
  id: number;
  taskId: number;
  /** Actions run in ascending order, starting at 0. */
  order: number;
  /** Canonical action type name, e.g. `Shell` (aliases are resolved before storing). */
  actionClassName: string;
  /** Validated parameters, as the action type's validate() returned them. */
  parameters: Record<string, unknown>;
}

export interface TriggerError {
  type: string;
  message: string;
}

export interface Task {
  id: number;
  name: string;
  memo: string | null;
  scheduleMethod: ScheduleMethod;
  scheduleWhen: string;
  /** IANA zone; null means the daemon's zone. */
  timezone: string | null;
  enabled: boolean;
  policies: TaskPolicies;
  createdOn: Date;
  createdBy: string | null;
  updatedOn: Date;
  lastTriggered: Date | null;
  lastTriggeredError: TriggerError | null;
  /** The next scheduled instant; null when paused or when a one-shot has fired (expired). */
  nextTriggerAt: Date | null;
  actions: TaskAction[];
}

/** What a client supplies to create or replace a task (already normalised, not yet validated). */
export interface TaskInput {
  name: string;
  memo?: string | null;
  scheduleMethod: ScheduleMethod;
  scheduleWhen: string;
  timezone?: string | null;
  enabled?: boolean;
  policies?: Partial<TaskPolicies>;
  createdBy?: string | null;
  actions: ActionInput[];
}

export interface ActionInput {
  actionClassName: string;
  parameters: Record<string, unknown>;
}

/** The outcome of one action within a run. */
export interface ActionResult {
  actionId: number | null;
  order: number;
  actionClassName: string;
  status: 'succeeded' | 'failed' | 'timed_out' | 'cancelled' | 'interrupted' | 'not_run';
  exitCode: number | null;
  httpStatus: number | null;
  error: string | null;
  /** Captured output, capped (see config `runs.outputCapBytes`). */
  output: string;
  outputTruncated: boolean;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface Run {
  id: number;
  taskId: number;
  /** The occurrence this run belongs to; with (taskId, attempt) it is the claim key. */
  scheduledFor: Date;
  trigger: RunTrigger;
  attempt: number;
  status: RunStatus;
  /** A pending run is started at or after this instant (retries wait here). */
  runAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationMs: number | null;
  error: string | null;
  /** For `missed` rows: how many occurrences were missed. */
  missedCount: number | null;
  /** Which node claimed the run. */
  node: string | null;
  results: ActionResult[];
}

export interface LogEntry {
  id: number;
  timestamp: Date;
  level: LogLevel;
  taskId: number | null;
  actionId: number | null;
  runId: number | null;
  data: string;
}
