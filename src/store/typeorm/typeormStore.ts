// The Store implementation over a TypeORM DataSource (SQLite via better-sqlite3, or pg).
import type { DataSource } from 'typeorm';
import type { AsyncLock } from './asyncLock.js';
import type { LogStore, NodeStore, RunStore, Store, TaskStore } from '../store.js';
import { TypeormLogStore } from './logStore.js';
import { TypeormNodeStore } from './nodeStore.js';
import { TypeormRunStore } from './runStore.js';
import { SqlDb, type StoreKind } from './sql.js';
import { TypeormTaskStore } from './taskStore.js';

export class TypeormStore implements Store {
  readonly tasks: TaskStore;
  readonly runs: RunStore;
  readonly logs: LogStore;
  readonly nodes: NodeStore;
  private readonly db: SqlDb;

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

  async databaseNow(): Promise<number> {
    const sql =
      this.kind === 'sqlite'
        ? "SELECT CAST(unixepoch('subsec') * 1000 AS INTEGER) AS now"
        : 'SELECT FLOOR(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::bigint AS now';
    const [row] = await this.db.query(sql);
    return Number(row.now);
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
