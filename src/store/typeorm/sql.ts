// A thin raw-SQL layer over a TypeORM DataSource. The stores write SQL once with `?`
// placeholders; this turns them into $n for PostgreSQL, converts instants to the column
// representation (SQLite: integer ms since the epoch; PostgreSQL: timestamptz(3)) and runs
// transactions.
//
// SQLite invariant: TypeORM's better-sqlite3 driver has ONE connection and ONE query runner
// with no lock, so two async transactions would interleave their statements. Every SQLite
// statement and transaction therefore goes through the file's AsyncLock (see asyncLock.ts).
import type { DataSource, QueryRunner } from 'typeorm';
import { TaskrError } from '../../errors.js';
import { AsyncLock } from './asyncLock.js';
import { SqliteQueue } from './sqliteQueue.js';

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

function mapError(err: unknown): unknown {
  if (driverCode(err).startsWith('SQLITE_BUSY')) {
    return new TaskrError('store.sqlite_locked', {
      detail: 'the SQLite database stayed locked by another process past busy_timeout (5000 ms)',
    });
  }
  return err;
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
    throw mapError(err);
  }
}

class TxSql implements Sql {
  constructor(
    readonly kind: StoreKind,
    private readonly qr: QueryRunner,
  ) {}
  async query(text: string, params: readonly unknown[] = []): Promise<Row[]> {
    return (await runOn(this.qr, this.kind, text, params)).rows;
  }
  exec(text: string, params: readonly unknown[] = []): Promise<QueryResultRows> {
    return runOn(this.qr, this.kind, text, params);
  }
}

export class SqlDb implements Sql {
  private readonly queue: SqliteQueue | null;

  constructor(
    readonly kind: StoreKind,
    readonly dataSource: DataSource,
    /** SQLite: the file's process-wide lock. */
    lock: AsyncLock = new AsyncLock(),
  ) {
    this.queue =
      kind === 'sqlite'
        ? new SqliteQueue(
            () => dataSource.createQueryRunner(),
            lock,
            (qr, text, params) => runOn(qr, kind, text, params),
          )
        : null;
  }

  async query(text: string, params: readonly unknown[] = []): Promise<Row[]> {
    return (await this.exec(text, params)).rows;
  }

  exec(text: string, params: readonly unknown[] = []): Promise<QueryResultRows> {
    if (this.queue) return this.queue.statement(text, params);
    return this.withRunner((qr) => runOn(qr, this.kind, text, params));
  }

  /**
   * Runs fn in one transaction: all of it commits or none of it does. Store code must use
   * the `tx` it is given inside fn, never this SqlDb (on SQLite that would wait on itself).
   */
  transaction<T>(fn: (tx: Sql) => Promise<T>, opts: { readOnly?: boolean } = {}): Promise<T> {
    return this.withRunner(async (qr) => {
      const tx = new TxSql(this.kind, qr);
      // SQLite: BEGIN IMMEDIATE takes the write lock up front, so a read-then-write
      // transaction never fails with SQLITE_BUSY on lock upgrade (busy_timeout applies).
      // A read-only one is deferred: a consistent snapshot that does not block writers.
      if (this.kind === 'sqlite') await tx.query(opts.readOnly ? 'BEGIN' : 'BEGIN IMMEDIATE');
      else await qr.startTransaction(opts.readOnly ? 'REPEATABLE READ' : undefined);
      try {
        const out = await fn(tx);
        if (this.kind === 'sqlite') await tx.query('COMMIT');
        else await qr.commitTransaction();
        return out;
      } catch (err) {
        try {
          if (this.kind === 'sqlite') await tx.query('ROLLBACK');
          else await qr.rollbackTransaction();
        } catch {
          // The original error matters more; a failed rollback leaves nothing committed.
        }
        throw err;
      }
    });
  }

  private withRunner<T>(fn: (qr: QueryRunner) => Promise<T>): Promise<T> {
    if (this.queue) return this.queue.task(fn);
    return (async () => {
      const qr = this.dataSource.createQueryRunner();
      try {
        await qr.connect();
        return await fn(qr);
      } finally {
        await qr.release();
      }
    })();
  }
}
