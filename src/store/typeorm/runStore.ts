// Runs: claim (the cluster-safe insert), compare-and-set transitions, results, queries.
// All hot paths are raw SQL; no entity hydration per row.
import { assertTransition } from '../../domain/runStatus.js';
import type { ActionResult, Run, RunStatus } from '../../domain/types.js';
import type {
  ClaimedStart,
  FinishedOutcome,
  FinishedRun,
  InterruptOptions,
  NextTrigger,
  RunClaim,
  RunFields,
  RunListQuery,
  RunStore,
  StartClaim,
} from '../store.js';
import {
  CLAIM_COLUMNS,
  PG_CASTS,
  claimKeyOf,
  claimOrder,
  claimedRun,
  inInputOrder,
  sortedClaims,
} from './claimRows.js';
import { resultsJson } from './resultsJson.js';
import { rowToRun, rowToRunWith } from './rows.js';
import { copyResults, heldRun, pushTransitionFields, transitionSql } from './runTransitions.js';
import { scheduleStateStatement, writeNextTriggers, writeNextTriggersSync } from './taskStore.js';
import { type Row, type Sql, type SqlDb, instantParam } from './sql.js';
import {
  PARAMS_PER_STATEMENT,
  chunks,
  pageClause,
  placeholders,
  rowsPerStatement,
} from './sqlUtil.js';

// INSERT ... SELECT so a claim for a task deleted meanwhile is dropped instead of failing on
// the foreign key; ON CONFLICT on the claim key makes the insert a claim.
// A claim to start goes in as `running` with its started_at: pending -> running happens
// inside the claim's own transaction, so no one can see the pending row (one statement
// less per run than an INSERT and a compare-and-set UPDATE).
const SQLITE_CLAIM_ONE = `INSERT INTO runs (${CLAIM_COLUMNS.join(', ')}, started_at)
  SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM tasks t WHERE t.id = ?)
  ON CONFLICT (task_id, scheduled_for, attempt) DO NOTHING
  RETURNING id`;

/** What the scheduler's firing path runs on SQLite: claim, start, finish (see warmUp). */
export const SQLITE_HOT_RUN_STATEMENTS: readonly string[] = [
  SQLITE_CLAIM_ONE,
  transitionSql(1), // pending -> running with started_at
  transitionSql(2 | 4 | 8 | 16 | 32), // the finish batch's held transition
];

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
    if (this.db.kind === 'sqlite') {
      return (await this.claimSqlite(claims, null)).map((c) => c.claimed);
    }
    const rows = await this.insertClaims(this.db, sortedClaims(claims));
    return inInputOrder(claims, rows.map(rowToRun)).map((c) => c.claimed);
  }

  async claimAndStart(
    claims: readonly StartClaim[],
    startedAt: Date,
    nextTriggers: readonly NextTrigger[] = [],
  ): Promise<ClaimedStart[]> {
    if (claims.length === 0 && nextTriggers.length === 0) return [];
    if (this.db.kind === 'sqlite') return this.claimSqlite(claims, startedAt, nextTriggers);
    const won = await this.claimAndStartPg(claims, startedAt);
    // After the claim's commit, in their own transaction: inside it, a node's task-row
    // locks would be held while it waits on another node's uncommitted claim (deadlock).
    if (nextTriggers.length > 0)
      await this.db.transaction((tx) => writeNextTriggers(tx, nextTriggers));
    return won;
  }

  private claimAndStartPg(claims: readonly StartClaim[], startedAt: Date): Promise<ClaimedStart[]> {
    if (claims.length === 0) return Promise.resolve([]);
    return this.db.transaction(async (tx) => {
      const won = (await this.insertClaims(tx, sortedClaims(claims))).map(rowToRun);
      const toStart = new Set(
        claims.filter((c) => c.start && c.status === 'pending').map((c) => claimKeyOf(c)),
      );
      const ids = won.filter((r) => toStart.has(claimKeyOf(r))).map((r) => r.id);
      const started = new Map<number, Run>();
      for (const part of chunks(ids, PARAMS_PER_STATEMENT)) {
        const rows = await tx.query(
          `UPDATE runs SET status = 'running', started_at = ?
             WHERE id IN (${placeholders(part.length)}) AND status = 'pending' RETURNING *`,
          [instantParam('postgres', startedAt), ...part],
        );
        for (const r of rows) started.set(Number(r.id), rowToRun(r));
      }
      return inInputOrder(claims, won).map((c) => ({
        claimed: c.claimed,
        running: started.get(c.claimed.id) ?? null,
      }));
    });
  }

  /**
   * SQLite: one prepared single-row INSERT per claim (no statement to compile per batch
   * size; a `start` claim goes in as running), all in one synchronous write transaction. The rows are built from the claims: every column is known, no read back.
   */
  private async claimSqlite(
    claims: readonly StartClaim[],
    startedAt: Date | null,
    nextTriggers: readonly NextTrigger[] = [],
  ): Promise<ClaimedStart[]> {
    // Indexes, not maps keyed by strings: this runs for every wake of a busy scheduler.
    const order = claimOrder(claims);
    const hits = new Array<ClaimedStart | undefined>(claims.length);
    await this.db.atomic((sql) => {
      writeNextTriggersSync(sql, nextTriggers);
      for (const i of order) {
        const c = claims[i]!;
        const start = startedAt !== null && c.start === true && c.status === 'pending';
        const rows = sql.all(SQLITE_CLAIM_ONE, [
          c.taskId,
          c.scheduledFor.getTime(),
          c.attempt,
          c.trigger,
          start ? 'running' : c.status,
          c.runAt.getTime(),
          c.node,
          c.error ?? null,
          c.missedCount ?? null,
          start ? startedAt.getTime() : null,
          c.taskId,
        ]);
        if (rows.length === 0) continue; // another claimer holds the key, or the task is gone
        const claimed = claimedRun(Number(rows[0]!.id), c);
        const running: Run | null = start ? { ...claimed, status: 'running', startedAt } : null;
        hits[i] = { claimed, running };
      }
    });
    // Input order; a key claimed twice in the input counts once (its first position).
    const out: ClaimedStart[] = [];
    for (const hit of hits) if (hit !== undefined) out.push(hit);
    return out;
  }

  private async insertClaims(sql: Sql, sorted: RunClaim[]): Promise<Row[]> {
    const k = this.db.kind;
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
    const parts = chunks(params, rowsPerStatement(CLAIM_COLUMNS.length));
    const insertAll = async (tx: Sql): Promise<Row[]> => {
      const out: Row[] = [];
      for (const part of parts) {
        out.push(...(await tx.query(this.claimSql(part.length), part.flat())));
      }
      return out;
    };
    // Several statements: one transaction, so a claim batch is all-or-nothing.
    if (parts.length === 1 || sql !== this.db) return insertAll(sql);
    return this.db.transaction(insertAll);
  }

  async transition(
    id: number,
    from: RunStatus,
    to: RunStatus,
    fields: RunFields = {},
  ): Promise<Run | null> {
    assertTransition(from, to);
    const params: unknown[] = [to];
    const mask = pushTransitionFields(this.db.kind, fields, params);
    params.push(id, from);
    const rows = await this.db.query(transitionSql(mask), params);
    if (rows.length === 0) return null;
    // The results just written need no JSON round trip back (same content, fresh objects).
    return rowToRunWith(rows[0]!, fields.results ? copyResults(fields.results) : null);
  }

  /**
   * transition() for a run held as stored: the same compare-and-set UPDATE without
   * RETURNING *, and the run built from `run` and the fields. Every column a transition
   * does not set is fixed at the claim, so the row read back would hold exactly this.
   */
  async transitionHeld(run: Run, to: RunStatus, fields: RunFields = {}): Promise<Run | null> {
    const from = run.status;
    assertTransition(from, to);
    const params: unknown[] = [to];
    const mask = pushTransitionFields(this.db.kind, fields, params);
    params.push(run.id, from);
    const res = await this.db.exec(transitionSql(mask | 32), params);
    return res.affected === 0 ? null : heldRun(run, to, fields);
  }

  /**
   * SQLite: every finished run's compare-and-set and its task's schedule state in one
   * synchronous transaction (the scheduler's finish batch: one commit per event-loop turn
   * instead of two per run). PostgreSQL: each item on its own, concurrently, as before.
   */
  async finishHeld(items: readonly FinishedRun[]): Promise<FinishedOutcome[]> {
    if (this.db.kind !== 'sqlite') {
      const settled = await Promise.allSettled(
        items.map(async (item) => {
          const done = await this.transitionHeld(item.held, item.to, item.fields);
          const { text, params } = scheduleStateStatement('postgres', item.taskId, item.state);
          await this.db.exec(text, params);
          return done;
        }),
      );
      return settled.map((r) =>
        r.status === 'fulfilled'
          ? r.value
          : r.reason instanceof Error
            ? r.reason
            : new Error(String(r.reason)),
      );
    }
    return this.db.atomic((sql) => {
      const out = new Array<FinishedOutcome>(items.length);
      for (let i = 0; i < items.length; i++) {
        const { held, to, fields, taskId, state } = items[i]!;
        assertTransition(held.status, to);
        const params: unknown[] = [to];
        const mask = pushTransitionFields('sqlite', fields, params);
        params.push(held.id, held.status);
        out[i] = sql.run(transitionSql(mask | 32), params) === 0 ? null : heldRun(held, to, fields);
        const task = scheduleStateStatement('sqlite', taskId, state);
        sql.run(task.text, task.params);
      }
      return out;
    });
  }

  async saveResults(id: number, results: ActionResult[]): Promise<void> {
    await this.db.query('UPDATE runs SET results = ? WHERE id = ?', [resultsJson(results), id]);
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
