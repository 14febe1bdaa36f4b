// TypeORM EntitySchema definitions (no decorators) mirroring the migrations. The hot paths
// use raw SQL (see sql.ts); these give TypeORM the model, e.g. for repositories in tools.
// Instant columns: timestamptz(3) on PostgreSQL, integer ms on SQLite (with a transformer).
import { EntitySchema, type EntitySchemaColumnOptions, type ValueTransformer } from 'typeorm';
import type { StoreKind } from './sql.js';

export interface TaskEntity {
  id: number;
  name: string;
  memo: string | null;
  scheduleMethod: string;
  scheduleWhen: string;
  timezone: string | null;
  enabled: boolean;
  overlap: string | null;
  misfire: string | null;
  timeoutMs: number | null;
  retries: number | null;
  retryBackoffMs: number | null;
  createdOn: Date;
  createdBy: string | null;
  updatedOn: Date;
  lastTriggered: Date | null;
  lastTriggeredErrorType: string | null;
  lastTriggeredErrorMessage: string | null;
  nextTriggerAt: Date | null;
  actions?: TaskActionEntity[];
}

export interface TaskActionEntity {
  id: number;
  taskId: number;
  order: number;
  actionClassName: string;
  /** JSON text of the validated parameters. */
  parameters: string;
  task?: TaskEntity;
}

export interface RunEntity {
  id: number;
  taskId: number;
  scheduledFor: Date;
  attempt: number;
  trigger: string;
  status: string;
  runAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationMs: number | null;
  error: string | null;
  missedCount: number | null;
  node: string | null;
  /** JSON text of ActionResult[]. */
  results: string;
  task?: TaskEntity;
}

export interface NodeEntity {
  name: string;
  startedAt: Date;
  lastHeartbeat: Date;
  runsInProgress: number;
  version: string;
  address: string | null;
  status: string;
  clockSkewMs: number | null;
}

export interface LogEntryEntity {
  id: number;
  timestamp: Date;
  level: string;
  taskId: number | null;
  actionId: number | null;
  runId: number | null;
  data: string;
}

const msTransformer: ValueTransformer = {
  to: (v: Date | null | undefined) => (v instanceof Date ? v.getTime() : v),
  from: (v: unknown) => (v === null || v === undefined ? v : new Date(Number(v))),
};

const bigintTransformer: ValueTransformer = {
  to: (v: unknown) => v,
  from: (v: unknown) => (v === null || v === undefined ? v : Number(v)),
};

type Col = EntitySchemaColumnOptions;

function columnKit(kind: StoreKind) {
  const instant = (name: string, nullable = false): Col =>
    kind === 'postgres'
      ? { name, type: 'timestamptz', precision: 3, nullable }
      : { name, type: 'integer', nullable, transformer: msTransformer };
  const str = (name: string, nullable = false, length?: number): Col => ({
    name,
    type: 'varchar',
    nullable,
    ...(length ? { length } : {}),
  });
  const text = (name: string, nullable = false): Col => ({ name, type: 'text', nullable });
  const int = (name: string, nullable = false): Col => ({ name, type: 'integer', nullable });
  const big = (name: string): Col => ({
    name,
    type: 'bigint',
    nullable: true,
    transformer: bigintTransformer,
  });
  const pk: Col = { type: 'integer', primary: true, generated: 'increment' };
  return { instant, str, text, int, big, pk };
}

/** The entity schemas for one backend (instant columns differ). */
export function buildEntities(kind: StoreKind): EntitySchema[] {
  const c = columnKit(kind);
  const task = new EntitySchema<TaskEntity>({
    name: 'Task',
    tableName: 'tasks',
    columns: {
      id: c.pk,
      name: c.str('name'),
      memo: c.text('memo', true),
      scheduleMethod: c.str('schedule_method', false, 16),
      scheduleWhen: c.text('schedule_when'),
      timezone: c.str('timezone', true, 64),
      enabled: { name: 'enabled', type: 'boolean', default: true },
      overlap: c.str('overlap', true, 16),
      misfire: c.str('misfire', true, 16),
      timeoutMs: c.big('timeout_ms'),
      retries: c.int('retries', true),
      retryBackoffMs: c.big('retry_backoff_ms'),
      createdOn: c.instant('created_on'),
      createdBy: c.str('created_by', true),
      updatedOn: c.instant('updated_on'),
      lastTriggered: c.instant('last_triggered', true),
      lastTriggeredErrorType: c.str('last_triggered_error_type', true),
      lastTriggeredErrorMessage: c.text('last_triggered_error_message', true),
      nextTriggerAt: c.instant('next_trigger_at', true),
    },
    uniques: [{ name: 'UQ_tasks_name', columns: ['name'] }],
    indices: [{ name: 'IDX_tasks_updated_on', columns: ['updatedOn'] }],
    relations: {
      actions: { type: 'one-to-many', target: 'TaskAction', inverseSide: 'task' },
    },
  });
  const action = new EntitySchema<TaskActionEntity>({
    name: 'TaskAction',
    tableName: 'task_actions',
    columns: {
      id: c.pk,
      taskId: c.int('task_id'),
      order: c.int('action_order'),
      actionClassName: c.str('action_class_name'),
      parameters: c.text('parameters'),
    },
    indices: [{ name: 'IDX_task_actions_task_order', columns: ['taskId', 'order'] }],
    relations: {
      task: {
        type: 'many-to-one',
        target: 'Task',
        inverseSide: 'actions',
        onDelete: 'CASCADE',
        joinColumn: { name: 'task_id', foreignKeyConstraintName: 'FK_task_actions_task' },
      },
    },
  });
  const run = new EntitySchema<RunEntity>({
    name: 'Run',
    tableName: 'runs',
    columns: {
      id: c.pk,
      taskId: c.int('task_id'),
      scheduledFor: c.instant('scheduled_for'),
      attempt: c.int('attempt'),
      trigger: c.str('trigger_type', false, 16),
      status: c.str('status', false, 16),
      runAt: c.instant('run_at'),
      startedAt: c.instant('started_at', true),
      finishedAt: c.instant('finished_at', true),
      durationMs: c.big('duration_ms'),
      error: c.text('error', true),
      missedCount: c.int('missed_count', true),
      node: c.str('node', true),
      results: { name: 'results', type: 'text', default: '[]' },
    },
    indices: [
      { name: 'UQ_runs_claim_key', columns: ['taskId', 'scheduledFor', 'attempt'], unique: true },
      { name: 'IDX_runs_status', columns: ['status'] },
      { name: 'IDX_runs_task_id', columns: ['taskId', 'id'] },
    ],
    relations: {
      task: {
        type: 'many-to-one',
        target: 'Task',
        onDelete: 'CASCADE',
        joinColumn: { name: 'task_id', foreignKeyConstraintName: 'FK_runs_task' },
      },
    },
  });
  const log = new EntitySchema<LogEntryEntity>({
    name: 'LogEntry',
    tableName: 'log_entries',
    columns: {
      id: c.pk,
      timestamp: c.instant('timestamp'),
      level: c.str('level', false, 8),
      taskId: c.int('task_id', true),
      actionId: c.int('action_id', true),
      runId: c.int('run_id', true),
      data: c.text('data'),
    },
    indices: [
      { name: 'IDX_log_entries_task_id', columns: ['taskId', 'id'] },
      { name: 'IDX_log_entries_run_id', columns: ['runId', 'id'] },
      { name: 'IDX_log_entries_timestamp', columns: ['timestamp'] },
    ],
  });
  const node = new EntitySchema<NodeEntity>({
    name: 'Node',
    tableName: 'nodes',
    columns: {
      name: { name: 'name', type: 'varchar', primary: true },
      startedAt: c.instant('started_at'),
      lastHeartbeat: c.instant('last_heartbeat'),
      runsInProgress: { name: 'runs_in_progress', type: 'integer', default: 0 },
      version: c.str('version'),
      address: c.str('address', true),
      status: c.str('status', false, 16),
      clockSkewMs: c.int('clock_skew_ms', true),
    },
  });
  return [task, action, run, log, node];
}
