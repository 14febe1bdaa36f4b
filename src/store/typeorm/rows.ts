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
    results: parseResults(r.results),
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
