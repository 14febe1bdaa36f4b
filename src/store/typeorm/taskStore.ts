// Tasks and their actions. Every write is one transaction: on any error nothing is
// half-written. Reads load tasks and actions with two statements and join in JS.
import { TaskrError } from '../../errors.js';
import type { Task, TaskAction } from '../../domain/types.js';
import type {
  NextTrigger,
  TaskListQuery,
  TaskRecordInput,
  TaskScheduleState,
  TaskStore,
} from '../store.js';
import {
  ACTION_ARRAY_COLUMNS,
  StringPool,
  TASK_ARRAY_COLUMNS,
  arrayToAction,
  arrayToTask,
  rowToAction,
  rowToTask,
} from './rows.js';
import {
  type Row,
  type Sql,
  type SqlDb,
  type SyncSql,
  instantParam,
  isUniqueViolation,
} from './sql.js';
import { chunks, likeContains, pageClause, placeholders, rowsPerStatement } from './sqlUtil.js';

const ALL_PAGE_SIZE = 5000;

const TASK_COLUMNS = [
  'name',
  'memo',
  'schedule_method',
  'schedule_when',
  'timezone',
  'enabled',
  'overlap',
  'misfire',
  'timeout_ms',
  'retries',
  'retry_backoff_ms',
  'created_by',
  'next_trigger_at',
  'updated_on',
] as const;

function expiredCondition(alias: string): string {
  return `(${alias}.schedule_method IN ('in', 'at') AND ${alias}.next_trigger_at IS NULL AND ${alias}.last_triggered IS NOT NULL)`;
}

/** setScheduleState's UPDATE: bit 1 = last_triggered, bit 2 = last_triggered_error. */
export const SCHEDULE_STATE_SQL = [0, 1, 2, 3].map((variant) => {
  const sets = ['next_trigger_at = ?'];
  if (variant & 1) sets.push('last_triggered = ?');
  if (variant & 2) sets.push('last_triggered_error_type = ?', 'last_triggered_error_message = ?');
  return `UPDATE tasks SET ${sets.join(', ')} WHERE id = ?`;
});

/** setScheduleState's UPDATE and parameters (also written in a batch of finished runs). */
export function scheduleStateStatement(
  k: SqlDb['kind'],
  id: number,
  state: TaskScheduleState,
): { text: string; params: unknown[] } {
  const params: unknown[] = [instantParam(k, state.nextTriggerAt)];
  let variant = 0;
  if (state.lastTriggered !== undefined) {
    variant |= 1;
    params.push(instantParam(k, state.lastTriggered));
  }
  if (state.lastTriggeredError !== undefined) {
    variant |= 2;
    params.push(state.lastTriggeredError?.type ?? null, state.lastTriggeredError?.message ?? null);
  }
  params.push(id);
  return { text: SCHEDULE_STATE_SQL[variant]!, params };
}

/**
 * SQLite all(): the same keyset pages as the generic path, read synchronously in one
 * read transaction as arrays of values (see SqliteRaw.arrays), strings pooled per load.
 */
function allSync(sql: SyncSql): Task[] {
  const pool = new StringPool();
  const out: Task[] = [];
  for (let last = 0; ;) {
    const rows = sql.arrays(
      `SELECT ${TASK_ARRAY_COLUMNS} FROM tasks WHERE id > ? ORDER BY id LIMIT ${ALL_PAGE_SIZE}`,
      [last],
    );
    if (rows.length === 0) return out;
    const high = Number(rows[rows.length - 1]![0]);
    const actionRows = sql.arrays(
      `SELECT ${ACTION_ARRAY_COLUMNS} FROM task_actions WHERE task_id > ? AND task_id <= ? ORDER BY task_id, action_order`,
      [last, high],
    );
    const byTask = new Map<number, TaskAction[]>();
    for (const r of actionRows) {
      const a = arrayToAction(r, pool);
      const list = byTask.get(a.taskId);
      if (list) list.push(a);
      else byTask.set(a.taskId, [a]);
    }
    for (const r of rows) out.push(arrayToTask(r, byTask.get(Number(r[0])) ?? [], pool));
    last = high;
  }
}

/** SQLite, inside SqlDb.atomic: one prepared UPDATE per task. */
export function writeNextTriggersSync(sql: SyncSql, entries: readonly NextTrigger[]): void {
  for (const e of entries) {
    sql.run(SCHEDULE_STATE_SQL[0]!, [instantParam('sqlite', e.nextTriggerAt), e.id]);
  }
}

/**
 * Inside a transaction: one UPDATE per task, in ascending id order. Two nodes writing the
 * same tasks then lock their rows in the same order (PostgreSQL cannot deadlock on them).
 */
export async function writeNextTriggers(tx: Sql, entries: readonly NextTrigger[]): Promise<void> {
  const byId = [...entries].sort((a, b) => a.id - b.id);
  for (const e of byId) {
    await tx.exec(SCHEDULE_STATE_SQL[0]!, [instantParam(tx.kind, e.nextTriggerAt), e.id]);
  }
}

export class TypeormTaskStore implements TaskStore {
  constructor(private readonly db: SqlDb) {}

  private values(input: TaskRecordInput, now: Date): unknown[] {
    const k = this.db.kind;
    const p = input.policies;
    return [
      input.name,
      input.memo,
      input.scheduleMethod,
      input.scheduleWhen,
      input.timezone,
      input.enabled,
      p.overlap,
      p.misfire,
      p.timeoutMs,
      p.retries,
      p.retryBackoffMs,
      input.createdBy,
      instantParam(k, input.nextTriggerAt),
      instantParam(k, now),
    ];
  }

  private async assertNameFree(tx: Sql, name: string, exceptId?: number): Promise<void> {
    const rows = await tx.query('SELECT id FROM tasks WHERE name = ?', [name]);
    if (rows.some((r) => Number(r.id) !== exceptId)) {
      throw new TaskrError('task.name_taken', { name }, 'name');
    }
  }

  /** Runs a write transaction, mapping a unique violation (a concurrent insert) to name_taken. */
  private async write<T>(name: string, fn: (tx: Sql) => Promise<T>): Promise<T> {
    try {
      return await this.db.transaction(fn);
    } catch (err) {
      if (isUniqueViolation(err)) throw new TaskrError('task.name_taken', { name }, 'name');
      throw err;
    }
  }

  private async insertActions(tx: Sql, taskId: number, input: TaskRecordInput): Promise<void> {
    const rows = input.actions.map((a, i) => [
      taskId,
      i,
      a.actionClassName,
      JSON.stringify(a.parameters),
    ]);
    for (const part of chunks(rows, rowsPerStatement(4))) {
      await tx.query(
        `INSERT INTO task_actions (task_id, action_order, action_class_name, parameters) VALUES ${part
          .map(() => '(?, ?, ?, ?)')
          .join(', ')}`,
        part.flat(),
      );
    }
  }

  create(input: TaskRecordInput, now: Date): Promise<Task> {
    return this.write(input.name, async (tx) => {
      await this.assertNameFree(tx, input.name);
      const cols = [...TASK_COLUMNS, 'created_on'];
      const [row] = await tx.query(
        `INSERT INTO tasks (${cols.join(', ')}) VALUES (${placeholders(cols.length)}) RETURNING id`,
        [...this.values(input, now), instantParam(this.db.kind, now)],
      );
      const id = Number(row.id);
      await this.insertActions(tx, id, input);
      return (await this.load(tx, [id]))[0];
    });
  }

  update(id: number, input: TaskRecordInput, now: Date): Promise<Task> {
    return this.write(input.name, async (tx) => {
      const exists = await tx.query('SELECT id FROM tasks WHERE id = ?', [id]);
      if (exists.length === 0) throw new TaskrError('task.not_found', { id });
      await this.assertNameFree(tx, input.name, id);
      await tx.query(
        `UPDATE tasks SET ${TASK_COLUMNS.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`,
        [...this.values(input, now), id],
      );
      // The action list is replaced, never appended to.
      await tx.query('DELETE FROM task_actions WHERE task_id = ?', [id]);
      await this.insertActions(tx, id, input);
      return (await this.load(tx, [id]))[0];
    });
  }

  async get(id: number): Promise<Task | null> {
    return (await this.load(this.db, [id]))[0] ?? null;
  }

  async getByName(name: string): Promise<Task | null> {
    const rows = await this.db.query('SELECT * FROM tasks WHERE name = ?', [name]);
    return (await this.attachActions(this.db, rows))[0] ?? null;
  }

  getMany(ids: readonly number[]): Promise<Task[]> {
    return this.load(this.db, ids);
  }

  async list(query: TaskListQuery = {}): Promise<{ tasks: Task[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.q !== undefined && query.q !== '') {
      where.push(`LOWER(t.name) LIKE ? ESCAPE '\\'`);
      params.push(likeContains(query.q));
    }
    if (query.enabled !== undefined) {
      where.push('t.enabled = ?');
      params.push(query.enabled);
    }
    if (query.status === 'expired') {
      where.push(expiredCondition('t'));
    } else if (query.status !== undefined && query.status !== '') {
      // The task's latest run (highest id) has this status; uses IDX_runs_task_id.
      where.push(
        '(SELECT r.status FROM runs r WHERE r.task_id = t.id ORDER BY r.id DESC LIMIT 1) = ?',
      );
      params.push(query.status);
    }
    const whereSql = where.length ? ` WHERE ${where.join(' AND ')}` : '';
    const [countRow] = await this.db.query(`SELECT COUNT(*) AS n FROM tasks t${whereSql}`, params);
    const rows = await this.db.query(
      `SELECT t.* FROM tasks t${whereSql} ORDER BY t.id${pageClause(this.db.kind, query.limit, query.offset)}`,
      params,
    );
    return { tasks: await this.attachActions(this.db, rows), total: Number(countRow.n) };
  }

  async all(): Promise<Task[]> {
    if (this.db.kind === 'sqlite') return this.db.atomic(allSync, { readOnly: true });
    // Keyset pages of tasks plus their actions (two statements per page, joined in JS), in
    // one read-only transaction for a consistent snapshot. Paging lets each page's raw rows
    // be collected before the next; holding 100k raw rows at once mostly costs GC time.
    return this.db.transaction(
      async (tx) => {
        const out: Task[] = [];
        for (let last = 0; ;) {
          const rows = await tx.query(
            `SELECT * FROM tasks WHERE id > ? ORDER BY id LIMIT ${ALL_PAGE_SIZE}`,
            [last],
          );
          if (rows.length === 0) return out;
          const high = Number(rows[rows.length - 1].id);
          const actionRows = await tx.query(
            'SELECT * FROM task_actions WHERE task_id > ? AND task_id <= ? ORDER BY task_id, action_order',
            [last, high],
          );
          for (const task of this.join(rows, actionRows)) out.push(task);
          last = high;
        }
      },
      { readOnly: true },
    );
  }

  delete(id: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      // Log entries have no foreign keys (see the migration), so they go explicitly;
      // actions and runs would cascade, but deleting them here does not depend on it.
      await tx.query(
        'DELETE FROM log_entries WHERE task_id = ? OR run_id IN (SELECT id FROM runs WHERE task_id = ?)',
        [id, id],
      );
      await tx.query('DELETE FROM runs WHERE task_id = ?', [id]);
      await tx.query('DELETE FROM task_actions WHERE task_id = ?', [id]);
      const res = await tx.exec('DELETE FROM tasks WHERE id = ?', [id]);
      return res.affected > 0;
    });
  }

  async setEnabled(
    id: number,
    enabled: boolean,
    nextTriggerAt: Date | null,
    now: Date,
  ): Promise<Task> {
    const k = this.db.kind;
    const res = await this.db.exec(
      'UPDATE tasks SET enabled = ?, next_trigger_at = ?, updated_on = ? WHERE id = ?',
      [enabled, instantParam(k, nextTriggerAt), instantParam(k, now), id],
    );
    const task = res.affected > 0 ? await this.get(id) : null;
    if (!task) throw new TaskrError('task.not_found', { id });
    return task;
  }

  async setScheduleState(id: number, state: TaskScheduleState): Promise<void> {
    const { text, params } = scheduleStateStatement(this.db.kind, id, state);
    await this.db.exec(text, params);
  }

  async setNextTriggers(entries: readonly NextTrigger[]): Promise<void> {
    if (entries.length === 0) return;
    if (this.db.kind === 'sqlite') {
      await this.db.atomic((sql) => writeNextTriggersSync(sql, entries));
      return;
    }
    await this.db.transaction((tx) => writeNextTriggers(tx, entries));
  }

  async count(): Promise<number> {
    const [row] = await this.db.query('SELECT COUNT(*) AS n FROM tasks');
    return Number(row.n);
  }

  /** Tasks by id (in id order), with actions. */
  private async load(sql: Sql, ids: readonly number[]): Promise<Task[]> {
    const rows: Row[] = [];
    for (const part of chunks([...new Set(ids)], 900)) {
      rows.push(
        ...(await sql.query(
          `SELECT * FROM tasks WHERE id IN (${placeholders(part.length)})`,
          part,
        )),
      );
    }
    rows.sort((a, b) => Number(a.id) - Number(b.id));
    return this.attachActions(sql, rows);
  }

  private async attachActions(sql: Sql, rows: Row[]): Promise<Task[]> {
    const actionRows: Row[] = [];
    for (const part of chunks(
      rows.map((r) => Number(r.id)),
      900,
    )) {
      actionRows.push(
        ...(await sql.query(
          `SELECT * FROM task_actions WHERE task_id IN (${placeholders(part.length)}) ORDER BY task_id, action_order`,
          part,
        )),
      );
    }
    return this.join(rows, actionRows);
  }

  private join(rows: Row[], actionRows: Row[]): Task[] {
    const byTask = new Map<number, TaskAction[]>();
    for (const r of actionRows) {
      const a = rowToAction(r);
      const list = byTask.get(a.taskId);
      if (list) list.push(a);
      else byTask.set(a.taskId, [a]);
    }
    return rows.map((r) => rowToTask(r, byTask.get(Number(r.id)) ?? []));
  }
}
