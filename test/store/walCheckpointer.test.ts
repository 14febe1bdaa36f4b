import { expect } from 'chai';
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/openStore.js';
import type { Store } from '../../src/store/store.js';
import { BACKSTOP_PAGES, checkpointInBackground } from '../../src/store/typeorm/walCheckpointer.js';
import type { DataSource } from 'typeorm';
import { cleanupDatabases, tempSqliteUrl } from '../helpers/databases.js';
import { T0, taskInput } from './fixtures.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until check() is true or the time is up; returns the last value. */
async function eventually(check: () => boolean, ms = 5000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await sleep(25);
  }
  return check();
}

/** Task names found in the database FILE alone (a copy without its -wal): checkpointed data. */
function namesInDatabaseFile(file: string, dir: string): string[] {
  const copy = join(dir, `copy-${Date.now()}-${Math.random()}.sqlite`);
  copyFileSync(file, copy);
  const db = new Database(copy, { readonly: true });
  try {
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'tasks'").get();
    if (!table) return []; // the migrations are not checkpointed yet either
    return (db.prepare('SELECT name FROM tasks ORDER BY name').all() as { name: string }[]).map(
      (r) => r.name,
    );
  } finally {
    db.close();
  }
}

// WAL checkpoints run on a worker thread (their fsyncs stalled the event loop for ~10 ms);
// the main connection only keeps SQLite's autocheckpoint as a far-off backstop.
describe('store: SQLite WAL checkpoints on the worker thread', () => {
  let store: Store | null = null;
  afterEach(async () => {
    await store?.close();
    store = null;
    await cleanupDatabases();
  });

  it('commits reach the database file without a checkpoint on the main connection', async () => {
    const url = tempSqliteUrl();
    const file = url.slice('sqlite:'.length);
    store = await openStore(url);
    const ds = (store as unknown as { dataSource: DataSource }).dataSource;
    const [setting] = (await ds.query('PRAGMA wal_autocheckpoint')) as Record<string, number>[];
    expect(Object.values(setting!)[0]).to.equal(BACKSTOP_PAGES);
    // A few commits: far below any autocheckpoint threshold, so only the worker copies them.
    for (const name of ['alpha', 'beta', 'gamma'])
      await store.tasks.create(taskInput({ name }), T0);
    const dir = mkdtempSync(join(tmpdir(), 'taskr-wal-'));
    try {
      const seen = await eventually(() => namesInDatabaseFile(file, dir).length === 3);
      expect(seen, 'the three tasks in the database file itself').to.equal(true);
      expect(namesInDatabaseFile(file, dir)).to.deep.equal(['alpha', 'beta', 'gamma']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('close() waits for the worker to let go: the main connection removes the WAL', async () => {
    const url = tempSqliteUrl();
    const file = url.slice('sqlite:'.length);
    const s = await openStore(url);
    await s.tasks.create(taskInput({ name: 'one' }), T0);
    expect(existsSync(`${file}-wal`)).to.equal(true);
    await s.close();
    expect(existsSync(`${file}-wal`), 'no -wal left behind').to.equal(false);
    // And the data is all in the file.
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare('SELECT COUNT(*) AS n FROM tasks').get()).to.deep.equal({ n: 1 });
    } finally {
      db.close();
    }
  });

  it('asks the main connection for a restart once the WAL is long and nearly all checkpointed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'taskr-wal-'));
    const file = join(dir, 'w.sqlite');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0'); // only the worker (and the restart below) checkpoint
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    let asked = 0;
    const lost: string[] = [];
    const release = checkpointInBackground(
      file,
      (reason) => lost.push(reason),
      () => {
        asked++;
        db.pragma('wal_checkpoint(PASSIVE)'); // what the store does, between its transactions
      },
      { restartFrames: 50, tailFrames: 10 },
    );
    try {
      const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
      // Steady small commits, as a busy scheduler makes: the WAL grows past 50 frames.
      const until = Date.now() + 3000;
      while (asked === 0 && Date.now() < until) {
        for (let i = 0; i < 20; i++) insert.run('x'.repeat(500));
        await sleep(5);
      }
      expect(asked, 'restart requests').to.be.greaterThan(0);
      insert.run('after'); // the first commit after a full checkpoint restarts the WAL
      const [r] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
      expect(r!.log, 'frames in the restarted WAL').to.be.lessThan(50);
      expect(lost).to.deep.equal([]);
    } finally {
      await release();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a file it cannot open, so the caller hands checkpoints back to SQLite', async () => {
    const lost: string[] = [];
    const release = checkpointInBackground(
      join(tmpdir(), 'taskr-no-such-dir', 'missing.sqlite'),
      (reason) => lost.push(reason),
      () => undefined,
    );
    expect(await eventually(() => lost.length > 0)).to.equal(true);
    expect(lost[0]).to.match(/unable to open|does not exist|no such/i);
    await release();
  });
});
