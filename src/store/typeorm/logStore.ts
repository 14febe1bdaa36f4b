// Log entries (Taskr's log_entries): batch append, filtered reads for following a log.
import { LOG_LEVELS, type LogEntry } from '../../domain/types.js';
import type { LogQuery, LogStore } from '../store.js';
import { rowToLog } from './rows.js';
import { type SqlDb, instantParam } from './sql.js';
import { chunks, placeholders, rowsPerStatement } from './sqlUtil.js';

const DEFAULT_LIMIT = 1000;
const COLUMNS = ['timestamp', 'level', 'task_id', 'action_id', 'run_id', 'data'] as const;

export class TypeormLogStore implements LogStore {
  constructor(private readonly db: SqlDb) {}

  async append(entries: Omit<LogEntry, 'id'>[]): Promise<void> {
    if (entries.length === 0) return;
    const k = this.db.kind;
    const rows = entries.map((e) => [
      instantParam(k, e.timestamp),
      e.level,
      e.taskId,
      e.actionId,
      e.runId,
      e.data,
    ]);
    const parts = chunks(rows, rowsPerStatement(COLUMNS.length));
    const insert = (part: unknown[][]): string =>
      `INSERT INTO log_entries (${COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES ${part
        .map(() => `(${placeholders(COLUMNS.length)})`)
        .join(', ')}`;
    if (parts.length === 1) {
      await this.db.query(insert(parts[0]), parts[0].flat());
      return;
    }
    await this.db.transaction(async (tx) => {
      for (const part of parts) await tx.query(insert(part), part.flat());
    });
  }

  async list(query: LogQuery): Promise<LogEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (cond: string, v: unknown): void => {
      where.push(cond);
      params.push(v);
    };
    if (query.taskId !== undefined) add('task_id = ?', query.taskId);
    if (query.runId !== undefined) add('run_id = ?', query.runId);
    if (query.since !== undefined) add('"timestamp" >= ?', instantParam(this.db.kind, query.since));
    if (query.afterId !== undefined) add('id > ?', query.afterId);
    if (query.level !== undefined) {
      // That level and more severe ones (DEBUG < INFO < WARN < ERROR).
      const levels = LOG_LEVELS.slice(Math.max(0, LOG_LEVELS.indexOf(query.level)));
      where.push(`level IN (${placeholders(levels.length)})`);
      params.push(...levels);
    }
    const limit = Math.max(0, Math.trunc(query.limit ?? DEFAULT_LIMIT));
    const order = query.order === 'asc' ? 'ASC' : 'DESC';
    const whereSql = where.length ? ` WHERE ${where.join(' AND ')}` : '';
    const rows = await this.db.query(
      `SELECT * FROM log_entries${whereSql} ORDER BY id ${order} LIMIT ${limit}`,
      params,
    );
    return rows.map(rowToLog);
  }

  async prune(before: Date): Promise<number> {
    const res = await this.db.exec('DELETE FROM log_entries WHERE "timestamp" < ?', [
      instantParam(this.db.kind, before),
    ]);
    return res.affected;
  }
}
