// SQLite statements run straight on the better-sqlite3 connection that TypeORM opened,
// with our own prepared-statement cache. TypeORM's query runner costs ~40 µs and several
// allocations per statement (logging hooks, broadcaster, result wrappers, an async hop per
// call); the scheduler's hot path runs thousands of statements a second, so it goes here.
// The connection is still TypeORM's (one per DataSource), so migrations and close() are
// unchanged; every statement still goes through the SqliteQueue (see sqliteQueue.ts).
import type Database from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { TaskrError } from '../../errors.js';
import type { QueryResultRows, Row } from './sql.js';

/** Distinct statements kept prepared (multi-row statements vary in size, so FIFO-capped). */
const CACHE_MAX = 200;

function driverCode(err: unknown): string {
  const drv = (err as { driverError?: { code?: unknown } }).driverError;
  const code = drv?.code ?? (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : '';
}

/** SQLITE_BUSY past busy_timeout becomes store.sqlite_locked; anything else is kept. */
export function mapSqliteError(err: unknown): unknown {
  if (driverCode(err).startsWith('SQLITE_BUSY')) {
    return new TaskrError('store.sqlite_locked', {
      detail: 'the SQLite database stayed locked by another process past busy_timeout (5000 ms)',
    });
  }
  return err;
}

/** better-sqlite3 binds no booleans: 0/1, as TypeORM did. */
function bindable(params: readonly unknown[]): unknown[] {
  let out: unknown[] | null = null;
  for (let i = 0; i < params.length; i++) {
    if (typeof params[i] === 'boolean') {
      out ??= params.slice();
      out[i] = params[i] ? 1 : 0;
    }
  }
  return out ?? (params as unknown[]);
}

export class SqliteRaw {
  private readonly cache = new Map<string, Database.Statement>();
  private conn: Database.Database | null = null;

  constructor(private readonly dataSource: DataSource) {}

  private db(): Database.Database {
    // Read lazily: the driver opens the connection in initialize().
    this.conn ??= (
      this.dataSource.driver as unknown as { databaseConnection: Database.Database }
    ).databaseConnection;
    return this.conn;
  }

  /** The prepared statement for `text` (prepared once, then reused). */
  prepare(text: string): Database.Statement {
    let stmt = this.cache.get(text);
    if (stmt === undefined) {
      try {
        stmt = this.db().prepare(text);
      } catch (err) {
        throw mapSqliteError(err);
      }
      this.cache.set(text, stmt);
      if (this.cache.size > CACHE_MAX) this.cache.delete(this.cache.keys().next().value!);
    }
    return stmt;
  }

  /**
   * A SELECT's rows as arrays of column values (no per-row object with named keys): about
   * a third cheaper to make and to collect when reading 100,000 tasks at start-up.
   */
  arrays(text: string, params: readonly unknown[]): unknown[][] {
    // A statement of its own: raw mode is a setting of the prepared statement.
    const stmt = this.prepare(`/* arrays */ ${text}`);
    try {
      return stmt.raw(true).all(bindable(params)) as unknown[][];
    } catch (err) {
      throw mapSqliteError(err);
    }
  }

  /** A reader's rows (SELECT, RETURNING), without run()'s result wrapper. */
  rows(text: string, params: readonly unknown[]): Row[] {
    try {
      return this.prepare(text).all(bindable(params)) as Row[];
    } catch (err) {
      throw mapSqliteError(err);
    }
  }

  /** A writer's affected rows (INSERT / UPDATE / DELETE without RETURNING); 0 for a reader. */
  changes(text: string, params: readonly unknown[]): number {
    const stmt = this.prepare(text);
    try {
      if (stmt.reader) {
        stmt.all(bindable(params));
        return 0;
      }
      return stmt.run(bindable(params)).changes;
    } catch (err) {
      throw mapSqliteError(err);
    }
  }

  /** Runs one statement synchronously: rows for a reader (SELECT, RETURNING), else affected. */
  run(text: string, params: readonly unknown[]): QueryResultRows {
    const stmt = this.prepare(text);
    try {
      if (stmt.reader) return { rows: stmt.all(bindable(params)) as Row[], affected: 0 };
      return { rows: [], affected: stmt.run(bindable(params)).changes };
    } catch (err) {
      throw mapSqliteError(err);
    }
  }
}
