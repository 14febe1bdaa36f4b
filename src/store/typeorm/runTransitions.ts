// The compare-and-set UPDATE of a run's status and the run it leaves, shared by
// transition(), transitionHeld() and the finish batch (finishHeld).
import type { ActionResult, Run, RunStatus } from '../../domain/types.js';
import type { RunFields } from '../store.js';
import { resultsJson } from './resultsJson.js';
import { type SqlDb, instantParam } from './sql.js';

const TRANSITION_COLUMNS = ['started_at', 'finished_at', 'duration_ms', 'error', 'results'];
const transitionSqlCache = new Map<number, string>();

/** The compare-and-set UPDATE for a set of optional columns (bit i = TRANSITION_COLUMNS[i]). */
export function transitionSql(mask: number): string {
  let sql = transitionSqlCache.get(mask);
  if (sql === undefined) {
    const sets = ['status = ?'];
    TRANSITION_COLUMNS.forEach((col, i) => {
      if (mask & (1 << i)) sets.push(`${col} = ?`);
    });
    // Compare-and-set: only a row still in `from` changes. Bit 5: no read back.
    const returning = mask & 32 ? '' : ' RETURNING *';
    sql = `UPDATE runs SET ${sets.join(', ')} WHERE id = ? AND status = ?${returning}`;
    transitionSqlCache.set(mask, sql);
  }
  return sql;
}

/** Pushes the given fields' values onto params (after `status`); returns their mask. */
export function pushTransitionFields(
  k: SqlDb['kind'],
  fields: RunFields,
  params: unknown[],
): number {
  let mask = 0;
  if (fields.startedAt !== undefined) {
    mask |= 1;
    params.push(instantParam(k, fields.startedAt));
  }
  if (fields.finishedAt !== undefined) {
    mask |= 2;
    params.push(instantParam(k, fields.finishedAt));
  }
  if (fields.durationMs !== undefined) {
    mask |= 4;
    params.push(fields.durationMs);
  }
  if (fields.error !== undefined) {
    mask |= 8;
    params.push(fields.error);
  }
  if (fields.results !== undefined) {
    mask |= 16;
    params.push(resultsJson(fields.results));
  }
  return mask;
}

/** Fresh copies of the results just written (as a read back would give: not shared). */
export function copyResults(results: ActionResult[]): ActionResult[] {
  const out = new Array<ActionResult>(results.length);
  for (let i = 0; i < results.length; i++) out[i] = { ...results[i]! };
  return out;
}

/**
 * The run held as stored after a transition to `to` with `fields`: every column a
 * transition does not set is fixed at the claim, so a row read back would hold exactly this.
 */
export function heldRun(run: Run, to: RunStatus, fields: RunFields): Run {
  return {
    id: run.id,
    taskId: run.taskId,
    scheduledFor: run.scheduledFor,
    trigger: run.trigger,
    attempt: run.attempt,
    status: to,
    runAt: run.runAt,
    startedAt: fields.startedAt !== undefined ? fields.startedAt : run.startedAt,
    finishedAt: fields.finishedAt !== undefined ? fields.finishedAt : run.finishedAt,
    durationMs: fields.durationMs !== undefined ? fields.durationMs : run.durationMs,
    error: fields.error !== undefined ? fields.error : run.error,
    missedCount: run.missedCount,
    node: run.node,
    // The caller's own results (it is done with them): no copy.
    results: fields.results !== undefined ? fields.results : run.results,
  };
}
