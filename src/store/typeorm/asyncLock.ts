// A FIFO async mutex, and one per SQLite file for the whole process.
//
// Why per file: better-sqlite3 is synchronous, so when two connections in ONE process
// (e.g. two Store instances on the same file, as cluster tests do) contend, SQLite's busy
// handler blocks the event loop and the lock holder can never finish. Serialising them
// here means in-process contention never reaches SQLite; busy_timeout is left for other
// processes.

export class AsyncLock {
  private tail: Promise<unknown> = Promise.resolve();
  /** Holders and waiters; 0 means a synchronous critical section may run right now. */
  private pending = 0;

  /** True when nobody holds or waits for the lock. */
  get idle(): boolean {
    return this.pending === 0;
  }

  run<T>(fn: () => Promise<T>): Promise<T> {
    this.pending++;
    const release = () => {
      this.pending--;
    };
    const next = this.tail.then(fn, fn);
    next.then(release, release);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

const fileLocks = new Map<string, AsyncLock>();

/** The process-wide lock of one SQLite file (a private one for :memory:). */
export function sqliteFileLock(path: string): AsyncLock {
  if (path === ':memory:') return new AsyncLock();
  let lock = fileLocks.get(path);
  if (!lock) {
    lock = new AsyncLock();
    fileLocks.set(path, lock);
  }
  return lock;
}
