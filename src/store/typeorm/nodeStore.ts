// Cluster membership (the nodes table) and the cluster's event channel. Every lease
// comparison happens in SQL against the database's clock, so nodes whose clocks disagree
// still agree on who is alive.
import type { Run } from '../../domain/types.js';
import type {
  ClusterEventListener,
  NodeBeat,
  NodeListing,
  NodeRecord,
  NodeStatus,
  NodeStore,
} from '../store.js';
import { channelName, PgEventListener } from './pgEvents.js';
import { rowToRun } from './rows.js';
import { type Row, type SqlDb, instantParam, toDate, toNumberOrNull } from './sql.js';

/** The part of the PostgreSQL DataSource options the listener needs. */
interface PgOptions {
  url?: string;
  schema?: string;
}

function rowToNode(r: Row): NodeRecord {
  return {
    name: String(r.name),
    startedAt: toDate(r.started_at) as Date,
    lastHeartbeat: toDate(r.last_heartbeat) as Date,
    runsInProgress: Number(r.runs_in_progress),
    version: String(r.version),
    address: r.address === null || r.address === undefined ? null : String(r.address),
    status: String(r.status) as NodeStatus,
    clockSkewMs: toNumberOrNull(r.clock_skew_ms),
  };
}

export class TypeormNodeStore implements NodeStore {
  /** The database's current time, as the column type stores instants. */
  private readonly now: string;
  /** The instant `?` ms before the database's now (the lease cutoff). */
  private readonly before: string;

  constructor(private readonly db: SqlDb) {
    if (db.kind === 'sqlite') {
      this.now = "CAST(unixepoch('subsec') * 1000 AS INTEGER)";
      this.before = `(${this.now} - ?)`;
    } else {
      this.now = 'clock_timestamp()';
      this.before = "(clock_timestamp() - CAST(? AS integer) * interval '1 millisecond')";
    }
  }

  async register(beat: NodeBeat): Promise<NodeRecord> {
    const rows = await this.db.query(
      `INSERT INTO nodes (name, started_at, last_heartbeat, runs_in_progress, version, address,
         status, clock_skew_ms)
       VALUES (?, ${this.now}, ${this.now}, ?, ?, ?, 'alive', ?)
       ON CONFLICT (name) DO UPDATE SET started_at = excluded.started_at,
         last_heartbeat = excluded.last_heartbeat, runs_in_progress = excluded.runs_in_progress,
         version = excluded.version, address = excluded.address, status = 'alive',
         clock_skew_ms = excluded.clock_skew_ms
       RETURNING *`,
      [beat.name, beat.runsInProgress, beat.version, beat.address, beat.clockSkewMs],
    );
    return rowToNode(rows[0]!);
  }

  async heartbeat(beat: NodeBeat): Promise<number | null> {
    // Only a row still alive: once another node declared this one dead (and took over its
    // runs), the node must notice and re-register rather than silently revive.
    const rows = await this.db.query(
      `UPDATE nodes SET last_heartbeat = ${this.now}, runs_in_progress = ?, version = ?,
         address = ?, clock_skew_ms = ?
       WHERE name = ? AND status = 'alive'
       RETURNING last_heartbeat`,
      [beat.runsInProgress, beat.version, beat.address, beat.clockSkewMs, beat.name],
    );
    return rows.length ? (toDate(rows[0]!.last_heartbeat) as Date).getTime() : null;
  }

  async list(leaseMs: number): Promise<NodeListing[]> {
    const rows = await this.db.query(
      `SELECT nodes.*, CASE WHEN status = 'alive' AND last_heartbeat >= ${this.before}
         THEN 1 ELSE 0 END AS alive
       FROM nodes ORDER BY started_at DESC, name`,
      [leaseMs],
    );
    return rows.map((r) => ({ ...rowToNode(r), alive: Number(r.alive) === 1 }));
  }

  async live(leaseMs: number): Promise<string[]> {
    const rows = await this.db.query(
      `SELECT name FROM nodes WHERE status = 'alive' AND last_heartbeat >= ${this.before}
       ORDER BY name`,
      [leaseMs],
    );
    return rows.map((r) => String(r.name));
  }

  async expired(leaseMs: number): Promise<string[]> {
    const rows = await this.db.query(
      `SELECT name FROM nodes WHERE status = 'alive' AND last_heartbeat < ${this.before}
       ORDER BY name`,
      [leaseMs],
    );
    return rows.map((r) => String(r.name));
  }

  async markDead(name: string, leaseMs: number): Promise<boolean> {
    // The guard repeats the expiry test, so of several survivors racing, one row update wins.
    const res = await this.db.exec(
      `UPDATE nodes SET status = 'dead', runs_in_progress = 0
       WHERE name = ? AND status = 'alive' AND last_heartbeat < ${this.before}`,
      [name, leaseMs],
    );
    return res.affected === 1;
  }

  async runningRuns(name: string): Promise<Run[]> {
    const rows = await this.db.query(
      "SELECT * FROM runs WHERE status = 'running' AND node = ? ORDER BY id",
      [name],
    );
    return rows.map(rowToRun);
  }

  async reassignPending(from: string, to: string): Promise<Run[]> {
    const rows = await this.db.query(
      "UPDATE runs SET node = ? WHERE status = 'pending' AND node = ? RETURNING *",
      [to, from],
    );
    return rows.map(rowToRun).sort((a, b) => a.id - b.id);
  }

  async leave(name: string): Promise<void> {
    await this.db.query(
      `UPDATE nodes SET status = 'stopped', runs_in_progress = 0, last_heartbeat = ${this.now}
       WHERE name = ? AND status = 'alive'`,
      [name],
    );
  }

  async prune(olderThanMs: number): Promise<number> {
    const res = await this.db.exec(
      `DELETE FROM nodes WHERE status <> 'alive' AND last_heartbeat < ${this.before}`,
      [olderThanMs],
    );
    return res.affected;
  }

  async tasksChangedSince(since: Date): Promise<{ id: number; updatedOn: Date }[]> {
    const rows = await this.db.query(
      'SELECT id, updated_on FROM tasks WHERE updated_on > ? ORDER BY updated_on, id',
      [instantParam(this.db.kind, since)],
    );
    return rows.map((r) => ({ id: Number(r.id), updatedOn: toDate(r.updated_on) as Date }));
  }

  async latestTaskUpdate(): Promise<Date | null> {
    const [row] = await this.db.query('SELECT MAX(updated_on) AS latest FROM tasks');
    return toDate(row?.latest);
  }

  async taskIds(): Promise<number[]> {
    const rows = await this.db.query('SELECT id FROM tasks');
    return rows.map((r) => Number(r.id));
  }

  async publish(payload: string): Promise<void> {
    if (this.db.kind !== 'postgres') return;
    await this.db.query('SELECT pg_notify(?, ?)', [this.channel(), payload]);
  }

  async listen(
    onEvent: (payload: string) => void,
    onProblem: (err: Error) => void,
  ): Promise<ClusterEventListener | null> {
    if (this.db.kind !== 'postgres') return null;
    const opts = this.db.dataSource.options as PgOptions;
    const listener = new PgEventListener(String(opts.url), this.channel(), onEvent, onProblem);
    await listener.start();
    return listener;
  }

  private channel(): string {
    const opts = this.db.dataSource.options as PgOptions;
    return channelName(typeof opts.schema === 'string' ? opts.schema : null);
  }
}
