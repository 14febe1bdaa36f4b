// Runs: claim (the cluster-safe insert), compare-and-set transitions, results, queries.
// All hot paths are raw SQL; no entity hydration per row.
import { assertTransition } from '../../domain/runStatus.js';
import type { ActionResult, Run, RunStatus } from '../../domain/types.js';
import type { InterruptOptions, RunClaim, RunFields, RunListQuery, RunStore } from '../store.js';
import { rowToRun } from './rows.js';
import { type Row, type Sql, type SqlDb, instantParam } from './sql.js';
import { chunks, pageClause, placeholders, rowsPerStatement } from './sqlUtil.js';

const CLAIM_COLUMNS = [
  'task_id',
  'scheduled_for',
  'attempt',
  'trigger_type',
  'status',
  'run_at',
  'node',
  'error',
  'missed_count',
] as const;

// PostgreSQL types a VALUES list from its parameters, so each needs a cast to match the column.
const PG_CASTS = [
  'integer',
  'timestamptz',
  'integer',
  'varchar',
  'varchar',
  'timestamptz',
  'varchar',
  'text',
  'integer',
];

function claimKey(taskId: number, scheduledFor: Date, attempt: number): string {
  return `${taskId}|${scheduledFor.getTime()}|${attempt}`;
}

export class TypeormRunStore implements RunStore {
  constructor(private readonly db: SqlDb) {}

  private claimSql(n: number): string {
    const pg = this.db.kind === 'postgres';
    const tuple = pg
      ? `(${PG_CASTS.map((t) => `?::${t}`).join(', ')})`
      : `(${placeholders(CLAIM_COLUMNS.length)})`;
    const alias = pg ? `v(${CLAIM_COLUMNS.join(', ')})` : 'v';
    const cols = pg
      ? CLAIM_COLUMNS.map((c) => `v.${c}`)
      : CLAIM_COLUMNS.map((_, i) => `v.column${i + 1}`);
    // INSERT ... SELECT so rows for a task deleted meanwhile are dropped instead of failing
    // the whole batch on the foreign key; ON CONFLICT on the claim key makes the insert a claim.
    return `INSERT INTO runs (${CLAIM_COLUMNS.join(', ')})
      SELECT ${cols.join(', ')} FROM (VALUES ${new Array<string>(n).fill(tuple).join(', ')}) AS ${alias}
      WHERE EXISTS (SELECT 1 FROM tasks t WHERE t.id = ${cols[0]})
      ORDER BY ${cols[1]}, ${cols[0]}, ${cols[2]}
      ON CONFLICT (task_id, scheduled_for, attempt) DO NOTHING
      RETURNING *`;
  }

  async claim(claims: readonly RunClaim[]): Promise<Run[]> {
    if (claims.length === 0) return [];
    const k = this.db.kind;
    // One total order (scheduledFor, taskId, attempt) for every claimer: concurrent
    // claimers then take the unique-index entries in the same order (no PG deadlock), and
    // new run ids follow that order (chronological), whatever the input order.
    const unique = new Map<string, RunClaim>();
    for (const c of claims) unique.set(claimKey(c.taskId, c.scheduledFor, c.attempt), c);
    const sorted = [...unique.values()].sort(
      (a, b) =>
        a.scheduledFor.getTime() - b.scheduledFor.getTime() ||
        a.taskId - b.taskId ||
        a.attempt - b.attempt,
    );
    const params = sorted.map((c) => [
      c.taskId,
      instantParam(k, c.scheduledFor),
      c.attempt,
      c.trigger,
      c.status,
      instantParam(k, c.runAt),
      c.node,
      c.error ?? null,
      c.missedCount ?? null,
    ]);
    const insertAll = async (sql: Sql): Promise<Row[]> => {
      const out: Row[] = [];
      for (const part of chunks(params, rowsPerStatement(CLAIM_COLUMNS.length))) {
        out.push(...(await sql.query(this.claimSql(part.length), part.flat())));
      }
      return out;
    };
    const parts = Math.ceil(params.length / rowsPerStatement(CLAIM_COLUMNS.length));
    const rows = parts === 1 ? await insertAll(this.db) : await this.db.transaction(insertAll);
    const inserted = new Map<string, Run>();
    for (const r of rows) {
      const run = rowToRun(r);
      inserted.set(claimKey(run.taskId, run.scheduledFor, run.attempt), run);
    }
    // Input order; each inserted key once.
    const out: Run[] = [];
    for (const c of claims) {
      const key = claimKey(c.taskId, c.scheduledFor, c.attempt);
      const run = inserted.get(key);
      if (run) {
        out.push(run);
        inserted.delete(key);
      }
    }
    return out;
  }

  async transition(
    id: number,
    from: RunStatus,
    to: RunStatus,
    fields: RunFields = {},
  ): Promise<Run | null> {
    assertTransition(from, to);
    const k = this.db.kind;
    const sets = ['status = ?'];
    const params: unknown[] = [to];
    const add = (col: string, v: unknown): void => {
      sets.push(`${col} = ?`);
      params.push(v);
    };
    if (fields.startedAt !== undefined) add('started_at', instantParam(k, fields.startedAt));
    if (fields.finishedAt !== undefined) add('finished_at', instantParam(k, fields.finishedAt));
    if (fields.durationMs !== undefined) add('duration_ms', fields.durationMs);
    if (fields.error !== undefined) add('error', fields.error);
    if (fields.results !== undefined) add('results', JSON.stringify(fields.results));
    // Compare-and-set: only a row still in `from` changes.
    const rows = await this.db.query(
      `UPDATE runs SET ${sets.join(', ')} WHERE id = ? AND status = ? RETURNING *`,
      [...params, id, from],
    );
    return rows.length ? rowToRun(rows[0]) : null;
  }

  async saveResults(id: number, results: ActionResult[]): Promise<void> {
    await this.db.query('UPDATE runs SET results = ? WHERE id = ?', [JSON.stringify(results), id]);
  }

  async get(id: number): Promise<Run | null> {
    const rows = await this.db.query('SELECT * FROM runs WHERE id = ?', [id]);
    return rows.length ? rowToRun(rows[0]) : null;
  }

  async list(query: RunListQuery): Promise<{ runs: Run[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.taskId !== undefined) {
      where.push('task_id = ?');
      params.push(query.taskId);
    }
    if (query.status !== undefined) {
      if (query.status.length === 0) return { runs: [], total: 0 };
      where.push(`status IN (${placeholders(query.status.length)})`);
      params.push(...query.status);
    }
    const whereSql = where.length ? ` WHERE ${where.join(' AND ')}` : '';
    const [countRow] = await this.db.query(`SELECT COUNT(*) AS n FROM runs${whereSql}`, params);
    // Newest first.
    const rows = await this.db.query(
      `SELECT * FROM runs${whereSql} ORDER BY id DESC${pageClause(this.db.kind, query.limit, query.offset)}`,
      params,
    );
    return { runs: rows.map(rowToRun), total: Number(countRow.n) };
  }

  async active(taskId?: number): Promise<Run[]> {
    const byTask = taskId === undefined ? '' : ' AND task_id = ?';
    const rows = await this.db.query(
      `SELECT * FROM runs WHERE status IN ('pending', 'running')${byTask} ORDER BY id`,
      taskId === undefined ? [] : [taskId],
    );
    return rows.map(rowToRun);
  }

  async interruptRunning(
    error: string,
    node?: string | null,
    opts: InterruptOptions = {},
  ): Promise<number> {
    const k = this.db.kind;
    const at = opts.at ?? new Date();
    const atParam = instantParam(k, at);
    const duration =
      k === 'sqlite'
        ? '(? - started_at)'
        : 'FLOOR(EXTRACT(EPOCH FROM (?::timestamptz - started_at)) * 1000)::bigint';
    const params: unknown[] = ['interrupted', error, atParam, atParam];
    let statusCond = "status = 'running'";
    if (opts.pendingDueBefore) {
      statusCond = "(status = 'running' OR (status = 'pending' AND run_at < ?))";
      params.push(instantParam(k, opts.pendingDueBefore));
    }
    let nodeCond = '';
    if (node !== undefined && node !== null) {
      nodeCond = ' AND node = ?';
      params.push(node);
    }
    const res = await this.db.exec(
      `UPDATE runs SET status = ?, error = ?, finished_at = ?,
         duration_ms = CASE WHEN started_at IS NULL THEN NULL ELSE ${duration} END
       WHERE ${statusCond}${nodeCond}`,
      params,
    );
    return res.affected;
  }

  async pruneFinished(before: Date): Promise<number> {
    // skipped/missed rows never start, so they age by run_at.
    const res = await this.db.exec(
      `DELETE FROM runs WHERE status NOT IN ('pending', 'running')
         AND COALESCE(finished_at, run_at) < ?`,
      [instantParam(this.db.kind, before)],
    );
    return res.affected;
  }
}
