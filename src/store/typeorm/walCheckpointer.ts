// SQLite WAL checkpoints on a worker thread, off the event loop.
//
// Why: in WAL mode a commit only appends pages to the -wal file. A checkpoint copies them
// back into the database file and, with synchronous=NORMAL, fsyncs both files. Left to
// SQLite (wal_autocheckpoint, every 1000 pages) it runs inside whichever COMMIT crosses
// the threshold, on the event loop: measured 10-11 ms stalls, 25 of them in the 3 s of the
// firing-lateness bench, and they alone put the firing p99 above 10 ms.
//
// So one worker thread per process holds a second connection to each file-backed store
// and runs `PRAGMA wal_checkpoint(PASSIVE)` every CHECKPOINT_INTERVAL_MS. A PASSIVE
// checkpoint never waits for the writer and never blocks it; with nothing new in the WAL
// it does no I/O. The main connection keeps SQLite's own autocheckpoint at a far higher
// threshold (BACKSTOP_PAGES) in case the worker falls behind, and goes back to SQLite's
// default if the worker loses the file or dies. Durability is unchanged: the same
// checkpoints with the same fsyncs, on another thread.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Between checkpoints while the WAL is quiet, and while it is being written. */
export const CHECKPOINT_INTERVAL_MS = 200;
const CHECKPOINT_BUSY_INTERVAL_MS = 20;

export interface RestartThresholds {
  /**
   * WAL length (frames) from which the worker asks for a restart (default 64 MiB of 4 KiB
   * pages: each restart stalls the event loop ~4 ms, so not too often under steady writes)...
   */
  restartFrames: number;
  /** ...once no more than this many frames are left to checkpoint (default: a ~1 MiB, ~1 ms job). */
  tailFrames: number;
}

export const DEFAULT_RESTART: RestartThresholds = Object.freeze({
  restartFrames: 16384,
  tailFrames: 256,
});
/**
 * wal_autocheckpoint of the main connection while the worker checkpoints: 128 MiB of 4 KiB
 * pages. Reached only when commits come so steadily that the WAL is never all checkpointed
 * (it then cannot restart); the checkpoint inside that COMMIT, on the event loop, restarts it.
 */
export const BACKSTOP_PAGES = 32768;
/**
 * journal_size_limit: a restarted WAL file longer than this is cut back to it. Above the
 * restart length, so the restarts of steady writes do not also truncate (an ftruncate on
 * the event loop); it only trims after the backstop had to act.
 */
export const WAL_SIZE_LIMIT_BYTES = BACKSTOP_PAGES * 4096;
/** SQLite's default, restored when the worker cannot checkpoint a file. */
export const SQLITE_DEFAULT_PAGES = 1000;

// CommonJS, run with `eval: true`: no file to locate, the same under tsx and compiled.
// After a checkpoint that did work the next comes sooner (busyMs): the un-checkpointed
// tail stays short. Frames appended while a checkpoint ran are always left over under
// steady writes, so the WAL would never restart; once it is long and the tail short, the
// worker asks the main thread for one small checkpoint between its transactions.
const WORKER_SOURCE = `
const { parentPort, workerData: w } = require('node:worker_threads');
const Database = require(w.driver);
const open = new Map();
function failed(path, err) {
  parentPort.postMessage({ op: 'failed', path, error: String((err && err.message) || err) });
}
function drop(path) {
  const e = open.get(path);
  open.delete(path);
  try { e.db.close(); } catch {}
}
function checkpoint(path, e) {
  const [r] = e.db.pragma('wal_checkpoint(PASSIVE)');
  if (!r || r.busy || r.log <= 0) return false;
  // Asked again only if the WAL grew by restartFrames more (the first request was lost).
  if (r.log < e.restartFrames) e.askAt = e.restartFrames;
  else if (r.log >= e.askAt && r.log - r.checkpointed <= e.tailFrames) {
    e.askAt = r.log + e.restartFrames;
    parentPort.postMessage({ op: 'restart', path });
  }
  const worked = r.checkpointed !== e.last;
  e.last = r.checkpointed;
  return worked;
}
function tick() {
  let worked = false;
  for (const [path, e] of open) {
    try { worked = checkpoint(path, e) || worked; } catch (err) { drop(path); failed(path, err); }
  }
  setTimeout(tick, worked ? w.busyMs : w.idleMs);
}
tick();
parentPort.on('message', (m) => {
  if (m.op === 'add') {
    const e = open.get(m.path);
    if (e) { e.refs++; return; }
    try {
      const db = new Database(m.path, { fileMustExist: true, timeout: 0 });
      const { restartFrames, tailFrames } = m;
      open.set(m.path, { db, refs: 1, last: 0, askAt: restartFrames, restartFrames, tailFrames });
    } catch (err) { failed(m.path, err); }
  } else if (m.op === 'remove') {
    const e = open.get(m.path);
    if (e && --e.refs === 0) drop(m.path);
    parentPort.postMessage({ op: 'removed', id: m.id });
  }
});
`;

type FromWorker =
  | { op: 'failed'; path: string; error: string }
  | { op: 'restart'; path: string }
  | { op: 'removed'; id: number };

interface Registration {
  path: string;
  restart: RestartThresholds;
  /** Called once if the worker stops checkpointing this file. */
  onLost(reason: string): void;
  /** The WAL is long and nearly all checkpointed: one small checkpoint lets it restart. */
  onRestartWanted(): void;
}

/** The process's checkpoint worker; started with the first registration. */
class CheckpointWorker {
  private readonly worker: Worker;
  private readonly registrations = new Set<Registration>();
  private readonly removals = new Map<number, () => void>();
  private nextId = 1;
  private dead = false;

  constructor(private readonly onExit: () => void) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        driver,
        idleMs: CHECKPOINT_INTERVAL_MS,
        busyMs: CHECKPOINT_BUSY_INTERVAL_MS,
      },
      // A second isolate for a few pragmas: keep its heap small.
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 2 },
    });
    // Never keeps the process alive, except while a close waits for its removal.
    this.worker.unref();
    this.worker.on('message', (m: FromWorker) => this.received(m));
    this.worker.on('error', (err: Error) => this.died(err.message));
    this.worker.on('exit', (code) => this.died(`the checkpoint worker exited with code ${code}`));
  }

  add(reg: Registration): void {
    this.registrations.add(reg);
    this.worker.postMessage({ op: 'add', path: reg.path, ...reg.restart });
  }

  /** Resolves once the worker has closed its connection (or is gone). */
  remove(reg: Registration): Promise<void> {
    if (!this.registrations.delete(reg) || this.dead) return Promise.resolve();
    const id = this.nextId++;
    this.worker.ref();
    return new Promise<void>((resolve) => {
      this.removals.set(id, resolve);
      this.worker.postMessage({ op: 'remove', path: reg.path, id });
    });
  }

  private received(m: FromWorker): void {
    if (m.op === 'removed') {
      this.removals.get(m.id)?.();
      this.removals.delete(m.id);
      if (this.removals.size === 0) this.worker.unref();
      return;
    }
    for (const reg of this.registrations) {
      if (reg.path !== m.path) continue;
      if (m.op === 'restart') {
        reg.onRestartWanted();
        return; // one connection of the file is enough
      }
      this.registrations.delete(reg);
      reg.onLost(m.error);
    }
  }

  private died(reason: string): void {
    if (this.dead) return;
    this.dead = true;
    this.onExit();
    for (const resolve of this.removals.values()) resolve();
    this.removals.clear();
    for (const reg of this.registrations) reg.onLost(reason);
    this.registrations.clear();
  }
}

let shared: CheckpointWorker | null = null;

/**
 * Checkpoints the SQLite file at `path` on the worker thread until the returned release
 * is called (before the main connection closes). `onLost` runs if the worker stops doing
 * it; the caller then hands checkpoints back to SQLite (see SQLITE_DEFAULT_PAGES).
 */
export function checkpointInBackground(
  path: string,
  onLost: (reason: string) => void,
  onRestartWanted: () => void,
  restart: RestartThresholds = DEFAULT_RESTART,
): () => Promise<void> {
  let worker: CheckpointWorker;
  try {
    worker = shared ??= new CheckpointWorker(() => {
      if (shared === worker) shared = null;
    });
  } catch (err) {
    onLost(err instanceof Error ? err.message : String(err));
    return () => Promise.resolve();
  }
  const reg: Registration = { path, restart, onLost, onRestartWanted };
  worker.add(reg);
  return () => worker.remove(reg);
}
