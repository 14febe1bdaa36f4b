// The Store implementation over a TypeORM DataSource (SQLite via better-sqlite3, or pg).
import type { DataSource } from 'typeorm';
import type { AsyncLock } from './asyncLock.js';
import type { LogStore, NodeStore, RunStore, Store, TaskStore } from '../store.js';
import { TypeormLogStore } from './logStore.js';
import { TypeormNodeStore } from './nodeStore.js';
import { SQLITE_HOT_RUN_STATEMENTS, TypeormRunStore } from './runStore.js';
import { SqlDb, type StoreKind } from './sql.js';
import { SCHEDULE_STATE_SQL, TypeormTaskStore } from './taskStore.js';
import { SQLITE_DEFAULT_PAGES, checkpointInBackground } from './walCheckpointer.js';

export class TypeormStore implements Store {
  readonly tasks: TaskStore;
  readonly runs: RunStore;
  readonly logs: LogStore;
  readonly nodes: NodeStore;
  private readonly db: SqlDb;
  private releaseCheckpoints: (() => Promise<void>) | null = null;

  constructor(
    readonly kind: StoreKind,
    readonly dataSource: DataSource,
    lock?: AsyncLock,
  ) {
    this.db = new SqlDb(kind, dataSource, lock);
    this.tasks = new TypeormTaskStore(this.db);
    this.runs = new TypeormRunStore(this.db);
    this.logs = new TypeormLogStore(this.db);
    this.nodes = new TypeormNodeStore(this.db);
  }

  warmUp(): void {
    this.db.prepare([...SQLITE_HOT_RUN_STATEMENTS, ...SCHEDULE_STATE_SQL]);
  }

  async databaseNow(): Promise<number> {
    const sql =
      this.kind === 'sqlite'
        ? "SELECT CAST(unixepoch('subsec') * 1000 AS INTEGER) AS now"
        : 'SELECT FLOOR(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::bigint AS now';
    const [row] = await this.db.query(sql);
    return Number(row.now);
  }

  /**
   * SQLite file stores: WAL checkpoints run on the checkpoint worker (see walCheckpointer.ts)
   * until close(); if the worker loses the file, SQLite's own autocheckpoint takes over.
   */
  checkpointInBackground(path: string, warn?: (msg: string) => void): void {
    let restarting = false;
    this.releaseCheckpoints = checkpointInBackground(
      path,
      (reason) => {
        warn?.(
          `store: background WAL checkpoints stopped (${reason}); SQLite checkpoints on commit`,
        );
        if (this.dataSource.isInitialized)
          void this.db.exec(`PRAGMA wal_autocheckpoint = ${SQLITE_DEFAULT_PAGES}`);
      },
      () => {
        if (restarting || !this.dataSource.isInitialized) return;
        restarting = true;
        void this.db.checkpoint().finally(() => (restarting = false));
      },
    );
  }

  async close(): Promise<void> {
    // The worker's connection closes first, so ours is the last and removes the WAL file.
    await this.releaseCheckpoints?.();
    this.releaseCheckpoints = null;
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
