// The SQLite statement queue: every statement and transaction of one Store goes through it,
// in call order, under the file's process-wide lock.
//
// Group commit: consecutive single statements queued while the connection was busy run
// inside ONE `BEGIN IMMEDIATE ... COMMIT`. Each SQLite commit costs a WAL write, so 10,000
// runs started at once (10,000 transitions) commit once instead of 10,000 times. Each
// statement still gets its own result or error (a failing statement does not roll back
// the others, just as if each had committed alone); promises settle after the COMMIT.
//
// Statements are synchronous (better-sqlite3), so a group runs without yielding; only
// tasks (multi-statement transactions written as async code) await between statements.
// `atomic` runs a synchronous transaction at once when nothing else holds the connection
// or the file lock (the scheduler's claims: no queueing, no event-loop hop), else in turn.
import type { AsyncLock } from './asyncLock.js';
import type { QueryResultRows } from './sql.js';

type RunFn = (text: string, params: readonly unknown[]) => QueryResultRows;

interface StatementItem {
  kind: 'statement';
  text: string;
  params: readonly unknown[];
  resolve(r: QueryResultRows): void;
  reject(err: unknown): void;
}

interface TaskItem {
  kind: 'task';
  run(): Promise<void>;
}

type Item = StatementItem | TaskItem;

export class SqliteQueue {
  private readonly items: Item[] = [];
  private draining = false;

  constructor(
    private readonly lock: AsyncLock,
    private readonly runStatement: RunFn,
  ) {}

  statement(text: string, params: readonly unknown[]): Promise<QueryResultRows> {
    return new Promise((resolve, reject) => {
      this.push({ kind: 'statement', text, params, resolve, reject });
    });
  }

  /** Runs fn alone on the connection (e.g. a whole transaction), in queue order. */
  task<T>(fn: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.push({
        kind: 'task',
        run: () => fn().then(resolve, reject),
      });
    });
  }

  /**
   * Runs fn (synchronous) inside BEGIN IMMEDIATE (or `begin`) ... COMMIT, rolled back if it throws.
   * Right now when the queue is empty and no other Store of the file holds its lock
   * (nothing can interleave with synchronous code), otherwise queued like a task.
   */
  atomic<T>(fn: () => T, begin = 'BEGIN IMMEDIATE'): Promise<T> {
    if (!this.draining && this.items.length === 0 && this.lock.idle) {
      try {
        return Promise.resolve(this.transactionSync(fn, begin));
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return this.task(async () => this.transactionSync(fn, begin));
  }

  private transactionSync<T>(fn: () => T, begin: string): T {
    this.runStatement(begin, []);
    let out: T;
    try {
      out = fn();
    } catch (err) {
      try {
        this.runStatement('ROLLBACK', []);
      } catch {
        // The original error matters more; a failed rollback leaves nothing committed.
      }
      throw err;
    }
    this.runStatement('COMMIT', []);
    return out;
  }

  private push(item: Item): void {
    this.items.push(item);
    if (!this.draining) {
      this.draining = true;
      void this.lock.run(() => this.drain());
    }
  }

  private async drain(): Promise<void> {
    try {
      while (this.items.length > 0) {
        const head = this.items[0]!;
        if (head.kind === 'task') {
          this.items.shift();
          await head.run();
          continue;
        }
        let n = 1;
        while (n < this.items.length && this.items[n]!.kind === 'statement') n++;
        this.runGroup(this.items.splice(0, n) as StatementItem[]);
      }
    } finally {
      this.draining = false;
    }
  }

  private runGroup(group: StatementItem[]): void {
    if (group.length === 1) {
      const s = group[0]!;
      let r: QueryResultRows;
      try {
        r = this.runStatement(s.text, s.params);
      } catch (err) {
        s.reject(err);
        return;
      }
      s.resolve(r);
      return;
    }
    try {
      this.runStatement('BEGIN IMMEDIATE', []);
    } catch (err) {
      for (const s of group) s.reject(err);
      return;
    }
    const results: (QueryResultRows | null)[] = new Array(group.length);
    const errors: unknown[] = new Array(group.length);
    for (let i = 0; i < group.length; i++) {
      try {
        results[i] = this.runStatement(group[i]!.text, group[i]!.params);
      } catch (err) {
        results[i] = null;
        errors[i] = err;
      }
    }
    try {
      this.runStatement('COMMIT', []);
    } catch (err) {
      try {
        this.runStatement('ROLLBACK', []);
      } catch {
        // Nothing was committed either way.
      }
      for (const s of group) s.reject(err);
      return;
    }
    for (let i = 0; i < group.length; i++) {
      const r = results[i];
      if (r) group[i]!.resolve(r);
      else group[i]!.reject(errors[i]);
    }
  }
}
