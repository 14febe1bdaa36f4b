// The SQLite statement queue: every statement and transaction of one Store goes through it,
// in call order, under the file's process-wide lock.
//
// Group commit: consecutive single statements queued while the connection was busy run
// inside ONE `BEGIN IMMEDIATE ... COMMIT`. Each SQLite commit costs a WAL write, so 10,000
// runs started at once (10,000 transitions) commit once instead of 10,000 times. Each
// statement still gets its own result or error (a failing statement does not roll back
// the others, just as if each had committed alone); promises settle after the COMMIT.
import type { QueryRunner } from 'typeorm';
import type { AsyncLock } from './asyncLock.js';
import type { QueryResultRows } from './sql.js';

type RunFn = (
  qr: QueryRunner,
  text: string,
  params: readonly unknown[],
) => Promise<QueryResultRows>;

interface StatementItem {
  kind: 'statement';
  text: string;
  params: readonly unknown[];
  resolve(r: QueryResultRows): void;
  reject(err: unknown): void;
}

interface TaskItem {
  kind: 'task';
  run(qr: QueryRunner): Promise<void>;
}

type Item = StatementItem | TaskItem;

export class SqliteQueue {
  private readonly items: Item[] = [];
  private draining = false;

  constructor(
    private readonly runner: () => QueryRunner,
    private readonly lock: AsyncLock,
    private readonly runStatement: RunFn,
  ) {}

  statement(text: string, params: readonly unknown[]): Promise<QueryResultRows> {
    return new Promise((resolve, reject) => {
      this.push({ kind: 'statement', text, params, resolve, reject });
    });
  }

  /** Runs fn alone on the connection (e.g. a whole transaction), in queue order. */
  task<T>(fn: (qr: QueryRunner) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.push({
        kind: 'task',
        run: (qr) => fn(qr).then(resolve, reject),
      });
    });
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
        const head = this.items[0];
        if (head.kind === 'task') {
          this.items.shift();
          await head.run(this.runner());
          continue;
        }
        let n = 1;
        while (n < this.items.length && this.items[n].kind === 'statement') n++;
        await this.runGroup(this.items.splice(0, n) as StatementItem[]);
      }
    } finally {
      this.draining = false;
    }
  }

  private async runGroup(group: StatementItem[]): Promise<void> {
    const qr = this.runner();
    if (group.length === 1) {
      const [s] = group;
      await this.runStatement(qr, s.text, s.params).then(s.resolve, s.reject);
      return;
    }
    try {
      await this.runStatement(qr, 'BEGIN IMMEDIATE', []);
    } catch (err) {
      for (const s of group) s.reject(err);
      return;
    }
    const settled: (() => void)[] = [];
    for (const s of group) {
      try {
        const r = await this.runStatement(qr, s.text, s.params);
        settled.push(() => s.resolve(r));
      } catch (err) {
        settled.push(() => s.reject(err));
      }
    }
    try {
      await this.runStatement(qr, 'COMMIT', []);
    } catch (err) {
      await this.runStatement(qr, 'ROLLBACK', []).catch(() => undefined);
      for (const s of group) s.reject(err);
      return;
    }
    for (const settle of settled) settle();
  }
}
