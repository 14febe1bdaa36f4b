// Raw SQL rows (snake_case columns) to domain objects. Both backends go through here:
// instants via toDate, bigints (strings from pg) via Number, booleans via Boolean.
import type {
  ActionResult,
  LogEntry,
  LogLevel,
  MisfirePolicy,
  OverlapPolicy,
  Run,
  RunStatus,
  RunTrigger,
  ScheduleMethod,
  Task,
  TaskAction,
} from '../../domain/types.js';
import { type Row, toDate, toNumberOrNull } from './sql.js';

const str = (v: unknown): string => String(v);
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export function rowToAction(r: Row): TaskAction {
  return {
    id: Number(r.id),
    taskId: Number(r.task_id),
    order: Number(r.action_order),
    actionClassName: str(r.action_class_name),
    parameters: JSON.parse(str(r.parameters)) as Record<string, unknown>,
  };
}

export function rowToTask(r: Row, actions: TaskAction[]): Task {
  const errType = strOrNull(r.last_triggered_error_type);
  return {
    id: Number(r.id),
    name: str(r.name),
    memo: strOrNull(r.memo),
    scheduleMethod: str(r.schedule_method) as ScheduleMethod,
    scheduleWhen: str(r.schedule_when),
    timezone: strOrNull(r.timezone),
    enabled: Boolean(r.enabled),
    policies: {
      overlap: strOrNull(r.overlap) as OverlapPolicy | null,
      misfire: strOrNull(r.misfire) as MisfirePolicy | null,
      timeoutMs: toNumberOrNull(r.timeout_ms),
      retries: toNumberOrNull(r.retries),
      retryBackoffMs: toNumberOrNull(r.retry_backoff_ms),
    },
    createdOn: toDate(r.created_on) as Date,
    createdBy: strOrNull(r.created_by),
    updatedOn: toDate(r.updated_on) as Date,
    lastTriggered: toDate(r.last_triggered),
    lastTriggeredError:
      errType === null
        ? null
        : { type: errType, message: str(r.last_triggered_error_message ?? '') },
    nextTriggerAt: toDate(r.next_trigger_at),
    actions,
  };
}

// Column lists for reading rows as arrays (SqliteRaw.arrays): the converters below read
// the values by these positions.
export const TASK_ARRAY_COLUMNS =
  'id, name, memo, schedule_method, schedule_when, timezone, enabled, overlap, misfire, ' +
  'timeout_ms, retries, retry_backoff_ms, created_on, created_by, updated_on, last_triggered, ' +
  'last_triggered_error_type, last_triggered_error_message, next_trigger_at';
export const ACTION_ARRAY_COLUMNS = 'id, task_id, action_order, action_class_name, parameters';

/**
 * Shares one string per distinct value of low-cardinality columns (method, zone, policies,
 * action type...) across the tasks of one load: 100,000 tasks otherwise hold 100,000
 * copies of `Log` and `cron`. Strings are immutable, so sharing them changes nothing else.
 */
export class StringPool {
  private readonly pool = new Map<string, string>();
  constructor(private readonly max = 10_000) {}

  get(v: unknown): string | null {
    if (v === null || v === undefined) return null;
    const s = String(v);
    const known = this.pool.get(s);
    if (known !== undefined) return known;
    if (this.pool.size < this.max) this.pool.set(s, s);
    return s;
  }
}

/** rowToTask for a row read as an array in TASK_ARRAY_COLUMNS order. */
export function arrayToTask(a: unknown[], actions: TaskAction[], pool: StringPool): Task {
  const errType = strOrNull(a[16]);
  return {
    id: Number(a[0]),
    name: str(a[1]),
    memo: strOrNull(a[2]),
    scheduleMethod: pool.get(a[3]) as ScheduleMethod,
    scheduleWhen: pool.get(a[4])!,
    timezone: pool.get(a[5]),
    enabled: Boolean(a[6]),
    policies: {
      overlap: pool.get(a[7]) as OverlapPolicy | null,
      misfire: pool.get(a[8]) as MisfirePolicy | null,
      timeoutMs: toNumberOrNull(a[9]),
      retries: toNumberOrNull(a[10]),
      retryBackoffMs: toNumberOrNull(a[11]),
    },
    createdOn: toDate(a[12]) as Date,
    createdBy: pool.get(a[13]),
    updatedOn: toDate(a[14]) as Date,
    lastTriggered: toDate(a[15]),
    lastTriggeredError: errType === null ? null : { type: errType, message: str(a[17] ?? '') },
    nextTriggerAt: toDate(a[18]),
    actions,
  };
}

/** rowToAction for a row read as an array in ACTION_ARRAY_COLUMNS order. */
export function arrayToAction(a: unknown[], pool: StringPool): TaskAction {
  return {
    id: Number(a[0]),
    taskId: Number(a[1]),
    order: Number(a[2]),
    actionClassName: pool.get(a[3])!,
    parameters: JSON.parse(str(a[4])) as Record<string, unknown>,
  };
}

/** Results are stored as JSON text; their instants come back as ISO strings. */
export function parseResults(text: unknown): ActionResult[] {
  if (text === null || text === undefined || text === '') return [];
  type Stored = Omit<ActionResult, 'startedAt' | 'finishedAt'> & {
    startedAt?: string | null;
    finishedAt?: string | null;
  };
  const list = JSON.parse(str(text)) as Stored[];
  const date = (v: string | null | undefined): Date | null => (v ? new Date(v) : null);
  return list.map((r) => ({ ...r, startedAt: date(r.startedAt), finishedAt: date(r.finishedAt) }));
}

export function rowToRun(r: Row): Run {
  return rowToRunWith(r, null);
}

/** `results` given: used instead of parsing the row's JSON (the caller just wrote them). */
export function rowToRunWith(r: Row, results: ActionResult[] | null): Run {
  return {
    id: Number(r.id),
    taskId: Number(r.task_id),
    scheduledFor: toDate(r.scheduled_for) as Date,
    trigger: str(r.trigger_type) as RunTrigger,
    attempt: Number(r.attempt),
    status: str(r.status) as RunStatus,
    runAt: toDate(r.run_at) as Date,
    startedAt: toDate(r.started_at),
    finishedAt: toDate(r.finished_at),
    durationMs: toNumberOrNull(r.duration_ms),
    error: strOrNull(r.error),
    missedCount: toNumberOrNull(r.missed_count),
    node: strOrNull(r.node),
    results: results ?? parseResults(r.results),
  };
}

export function rowToLog(r: Row): LogEntry {
  return {
    id: Number(r.id),
    timestamp: toDate(r.timestamp) as Date,
    level: str(r.level) as LogLevel,
    taskId: toNumberOrNull(r.task_id),
    actionId: toNumberOrNull(r.action_id),
    runId: toNumberOrNull(r.run_id),
    data: str(r.data),
  };
}
