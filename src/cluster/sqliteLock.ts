// SQLite stays single-node: a daemon holds an exclusive lock on `<database>.lock` for as
// long as it runs, so a second daemon on the same file refuses to start instead of
// doubling runs. The lock is SQLite's own file lock (locking_mode=EXCLUSIVE plus a write,
// held by the connection), which the OS releases when the process dies, even by SIGKILL:
// no stale pid file to clean up.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { TaskrError } from '../errors.js';
import { parseStoreUrl } from '../store/typeorm/storeUrl.js';

export interface SingleNodeLock {
  /** The lock file held. */
  readonly file: string;
  release(): void;
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/**
 * Takes the single-node lock of a `sqlite:` database; null for PostgreSQL and
 * `sqlite::memory:` (nothing to share). Throws store.sqlite_locked naming the file when
 * another process holds it.
 */
export function lockSqliteDatabase(databaseUrl: string): SingleNodeLock | null {
  const parsed = parseStoreUrl(databaseUrl);
  if (parsed.kind !== 'sqlite' || parsed.path === ':memory:') return null;
  const file = `${parsed.path}.lock`;
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL, since TEXT NOT NULL)');
    // The first write takes the EXCLUSIVE lock; in this mode it is kept until close.
    db.transaction(() => {
      db.prepare('DELETE FROM holder').run();
      db.prepare('INSERT INTO holder (pid, since) VALUES (?, ?)').run(
        process.pid,
        new Date().toISOString(),
      );
    })();
  } catch (err) {
    db.close();
    if (!isBusy(err)) throw err;
    throw new TaskrError('store.sqlite_locked', {
      detail:
        `the SQLite database ${parsed.path} is in use by another taskr daemon (it holds the ` +
        `lock file ${file}); SQLite is single-node: stop the other daemon, or use PostgreSQL ` +
        'to run several daemons',
    });
  }
  let held = true;
  return {
    file,
    release() {
      if (held) db.close();
      held = false;
    },
  };
}
