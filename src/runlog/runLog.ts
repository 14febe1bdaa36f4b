// The per-task log (database log entries): a buffered writer. Entries are written in
// batches, every FLUSH_INTERVAL_MS or once FLUSH_AT entries wait, so thousands of runs
// writing output lines cost a few inserts, not one each. Live views listen to 'log'.
import { EventEmitter } from 'node:events';
import type { Clock, TimerHandle } from '../clock/clock.js';
import { LOG_LEVELS, type LogEntry, type LogLevel } from '../domain/types.js';
import type { LogStore } from '../store/store.js';

export const FLUSH_INTERVAL_MS = 100;
export const FLUSH_AT = 500;

export type RunLogEntry = Omit<LogEntry, 'id'>;

export interface RunLogOptions {
  logs: LogStore;
  clock: Clock;
  /** Entries below this level are dropped (config.log.storeLevel). */
  storeLevel: LogLevel;
  /** Told about a failed batch write (the entries of that batch are lost, never retried forever). */
  onError?: (err: unknown) => void;
}

const RANK: Record<LogLevel, number> = Object.fromEntries(
  LOG_LEVELS.map((l, i) => [l, i]),
) as Record<LogLevel, number>;

/** Events: 'log' (entry: RunLogEntry) for every entry kept. */
export class RunLog extends EventEmitter {
  private buffer: RunLogEntry[] = [];
  private timer: TimerHandle | null = null;
  /** The write in progress; batches are written one after another, in order. */
  private writing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly opts: RunLogOptions) {
    super();
  }

  /** Keeps the entry if its level is at least storeLevel; returns whether it was kept. */
  append(entry: RunLogEntry): boolean {
    if (this.closed || RANK[entry.level] < RANK[this.opts.storeLevel]) return false;
    this.buffer.push(entry);
    this.emit('log', entry);
    if (this.buffer.length >= FLUSH_AT) void this.flush();
    else if (this.timer === null) {
      this.timer = this.opts.clock.setTimer(() => {
        this.timer = null;
        void this.flush();
      }, FLUSH_INTERVAL_MS);
    }
    return true;
  }

  /** Convenience: one entry for a run's action, timestamped now. */
  write(
    level: LogLevel,
    data: string,
    ids: Partial<Pick<LogEntry, 'taskId' | 'actionId' | 'runId'>>,
  ): boolean {
    return this.append({
      timestamp: new Date(this.opts.clock.now()),
      level,
      taskId: ids.taskId ?? null,
      actionId: ids.actionId ?? null,
      runId: ids.runId ?? null,
      data,
    });
  }

  /** Writes everything buffered so far; resolves once it is stored. */
  flush(): Promise<void> {
    if (this.timer !== null) {
      this.opts.clock.clearTimer(this.timer);
      this.timer = null;
    }
    const batch = this.buffer;
    this.buffer = [];
    if (batch.length > 0) {
      this.writing = this.writing.then(() =>
        this.opts.logs.append(batch).catch((err: unknown) => this.opts.onError?.(err)),
      );
    }
    return this.writing;
  }

  /** Flushes and stops accepting entries. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }
}
