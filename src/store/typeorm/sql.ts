// A thin raw-SQL layer over a TypeORM DataSource. The stores write SQL once with `?`
// placeholders; this turns them into $n for PostgreSQL, converts instants to the column
// representation (SQLite: integer ms since the epoch; PostgreSQL: timestamptz(3)) and runs
// transactions.
//
// SQLite invariant: TypeORM's better-sqlite3 driver has ONE connection and no lock, so two
// async transactions would interleave their statements. Every SQLite statement and
// transaction therefore goes through the store's SqliteQueue under the file's AsyncLock
// (see asyncLock.ts); statements run on the raw connection (see sqliteRaw.ts).
import type { DataSource, QueryRunner } from 'typeorm';
import { AsyncLock } from './asyncLock.js';
import { SqliteQueue } from './sqliteQueue.js';
import { SqliteRaw, mapSqliteError } from './sqliteRaw.js';

export type StoreKind = 'sqlite' | 'postgres';
export type Row = Record<string, unknown>;

export interface QueryResultRows {
  rows: Row[];
  affected: number;
}

/** What store code uses: inside or outside a transaction it looks the same. */
export interface Sql {
  readonly kind: StoreKind;
  query(text: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Like query, but also reports the number of affected rows (UPDATE / DELETE). */
  exec(text: string, params?: readonly unknown[]): Promise<QueryResultRows>;
}

/** Replaces each `?` with $1, $2, ... (store SQL never has `?` inside literals). */
export function toPgPlaceholders(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}

/** An instant as a query parameter for this backend. */
export function instantParam(kind: StoreKind, d: Date | null | undefined): Date | number | null {
  if (d === null || d === undefined) return null;
  return kind === 'sqlite' ? d.getTime() : d;
}

/** A stored instant back to a Date (pg gives Dates; SQLite integers; bigint text tolerated). */
export function toDate(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return new Date(v.getTime());
  return new Date(Number(v));
}

export function toNumberOrNull(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}

function driverCode(err: unknown): string {
  const drv = (err as { driverError?: { code?: unknown } }).driverError;
  const code = drv?.code ?? (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : '';
}

/** True for a unique-constraint violation on either backend. */
export function isUniqueViolation(err: unknown): boolean {
  const code = driverCode(err);
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** Synchronous statements inside SqlDb.atomic (SQLite only). */
export interface SyncSql {
  /** Rows of a reader (SELECT, RETURNING); [] otherwise. */
  all(text: string, params?: readonly unknown[]): Row[];
  /** Rows changed by an INSERT / UPDATE / DELETE without RETURNING. */
  run(text: string, params?: readonly unknown[]): number;
  /** A SELECT's rows as arrays of values, in the order of its column list. */
  arrays(text: string, params?: readonly unknown[]): unknown[][];
}

export async function runOn(
  qr: QueryRunner,
  kind: StoreKind,
  text: string,
  params: readonly unknown[],
): Promise<QueryResultRows> {
  const sqlText = kind === 'postgres' ? toPgPlaceholders(text) : text;
  try {
    const res = await qr.query(sqlText, params as unknown[], true);
    return { rows: (res.records ?? []) as Row[], affected: res.affected ?? 0 };
  } catch (err) {
    throw mapSqliteError(err);
  }
}

const rowsOf = (r: QueryResultRows): Row[] => r.rows;

/** A PostgreSQL transaction's statements (one pooled connection). */
class TxSql implements Sql {
  readonly kind = 'postgres' as const;
  constructor(private readonly qr: QueryRunner) {}
  async query(text: string, params: readonly unknown[] = []): Promise<Row[]> {
    return (await runOn(this.qr, this.kind, text, params)).rows;
  }
  exec(text: string, params: readonly unknown[] = []): Promise<QueryResultRows> {
    return runOn(this.qr, this.kind, text, params);
  }
}

/** A SQLite transaction's statements: run at once on the connection the queue lent it. */
class SqliteTxSql implements Sql, SyncSql {
  readonly kind = 'sqlite' as const;
  constructor(private readonly raw: SqliteRaw) {}
  async query(text: string, params: readonly unknown[] = []): Promise<Row[]> {
    return this.raw.run(text, params).rows;
  }
  async exec(text: string, params: readonly unknown[] = []): Promise<QueryResultRows> {
    return this.raw.run(text, params);
  }
  all(text: string, params: readonly unknown[] = []): Row[] {
    return this.raw.rows(text, params);
  }
  run(text: string, params: readonly unknown[] = []): number {
    return this.raw.changes(text, params);
  }
  arrays(text: string, params: readonly unknown[] = []): unknown[][] {
    return this.raw.arrays(text, params);
  }
}

export class SqlDb implements Sql {
  private readonly queue: SqliteQueue | null;
  private readonly sqliteTx: SqliteTxSql | null;
  private readonly raw: SqliteRaw | null;

  constructor(
    readonly kind: StoreKind,
    readonly dataSource: DataSource,
    /** SQLite: the file's process-wide lock. */
    lock: AsyncLock = new AsyncLock(),
  ) {
    if (kind === 'sqlite') {
      const raw = new SqliteRaw(dataSource);
      this.raw = raw;
      this.sqliteTx = new SqliteTxSql(raw);
      this.queue = new SqliteQueue(lock, (text, params) => raw.run(text, params));
    } else {
      this.sqliteTx = null;
      this.queue = null;
      this.raw = null;
    }
  }

  query(text: string, params: readonly unknown[] = []): Promise<Row[]> {
    return this.exec(text, params).then(rowsOf);
  }

  exec(text: string, params: readonly unknown[] = []): Promise<QueryResultRows> {
    if (this.queue) return this.queue.statement(text, params);
    return this.withRunner((qr) => runOn(qr, this.kind, text, params));
  }

  /**
   * SQLite only: runs the synchronous fn in one write transaction (BEGIN IMMEDIATE), at
   * once when the connection and the file lock are free, else in queue order. Throws
   * (rejects) for PostgreSQL: callers check `kind` first.
   */
  atomic<T>(fn: (sql: SyncSql) => T, opts: { readOnly?: boolean } = {}): Promise<T> {
    const { queue, sqliteTx } = this;
    if (!queue || !sqliteTx) return Promise.reject(new Error('SqlDb.atomic: SQLite only'));
    // Read-only: a deferred BEGIN, a consistent snapshot that does not block writers.
    return queue.atomic(() => fn(sqliteTx), opts.readOnly ? 'BEGIN' : 'BEGIN IMMEDIATE');
  }

  /** SQLite: prepares the statements now (kept in the statement cache); no-op on PostgreSQL. */
  prepare(texts: readonly string[]): void {
    if (this.raw) for (const text of texts) this.raw.prepare(text);
  }

  /**
   * SQLite only: one PASSIVE WAL checkpoint on this connection, alone between transactions
   * (see walCheckpointer.ts). Errors are swallowed: the checkpoint is only an optimisation.
   */
  checkpoint(): Promise<void> {
    const { queue, sqliteTx } = this;
    if (!queue || !sqliteTx) return Promise.resolve();
    return queue.task(async () => {
      try {
        sqliteTx.run('PRAGMA wal_checkpoint(PASSIVE)');
      } catch {
        // SQLite checkpoints again later (the worker, or the autocheckpoint backstop).
      }
    });
  }

  /**
   * Runs fn in one transaction: all of it commits or none of it does. Store code must use
   * the `tx` it is given inside fn, never this SqlDb (on SQLite that would wait on itself).
   */
  transaction<T>(fn: (tx: Sql) => Promise<T>, opts: { readOnly?: boolean } = {}): Promise<T> {
    const { queue, sqliteTx: tx } = this;
    if (queue && tx) {
      return queue.task(async () => {
        // SQLite: BEGIN IMMEDIATE takes the write lock up front, so a read-then-write
        // transaction never fails with SQLITE_BUSY on lock upgrade (busy_timeout applies).
        // A read-only one is deferred: a consistent snapshot that does not block writers.
        tx.run(opts.readOnly ? 'BEGIN' : 'BEGIN IMMEDIATE');
        try {
          const out = await fn(tx);
          tx.run('COMMIT');
          return out;
        } catch (err) {
          try {
            tx.run('ROLLBACK');
          } catch {
            // The original error matters more; a failed rollback leaves nothing committed.
          }
          throw err;
        }
      });
    }
    return this.withRunner(async (qr) => {
      const pg = new TxSql(qr);
      await qr.startTransaction(opts.readOnly ? 'REPEATABLE READ' : undefined);
      try {
        const out = await fn(pg);
        await qr.commitTransaction();
        return out;
      } catch (err) {
        try {
          await qr.rollbackTransaction();
        } catch {
          // The original error matters more; a failed rollback leaves nothing committed.
        }
        throw err;
      }
    });
  }

  /** PostgreSQL: a pooled connection for fn, released afterwards. */
  private async withRunner<T>(fn: (qr: QueryRunner) => Promise<T>): Promise<T> {
    const qr = this.dataSource.createQueryRunner();
    try {
      await qr.connect();
      return await fn(qr);
    } finally {
      await qr.release();
    }
  }
}
