// SQLite stays single-node: a second daemon on the same file refuses to start, naming the
// file; the lock is the OS's, so a daemon killed with SIGKILL leaves nothing stale behind.
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { lockSqliteDatabase } from '../../src/cluster/sqliteLock.js';
import { TaskrError } from '../../src/errors.js';
import { cleanupDatabases, tempSqliteUrl } from '../helpers/databases.js';
import { killAll, spawnNode, waitFor } from './harness.js';

describe('cluster: SQLite is single-node', function () {
  this.timeout(60_000);
  afterEach(async () => {
    await killAll();
    await cleanupDatabases();
  });

  it('a second daemon on the same SQLite file exits non-zero with a message naming the file', async () => {
    const url = tempSqliteUrl();
    const file = url.slice('sqlite:'.length);
    const info = { TASKR_LOG_LEVEL: 'info' };
    const first = spawnNode('one', url, info);
    await waitFor(
      'the first daemon to listen',
      async () => /listening on/.test(first.output()),
      30_000,
    );

    const second = spawnNode('two', url, info);
    const code = await second.exited;
    expect(code).to.not.equal(0);
    expect(second.output()).to.contain(file);
    expect(second.output()).to.match(/in use by another taskr daemon/);
    expect(first.child.exitCode, 'the first daemon keeps running').to.equal(null);

    // SIGKILL: the OS drops the lock with the process; a new daemon starts at once.
    await first.kill('SIGKILL');
    const third = spawnNode('three', url, info);
    await waitFor(
      'the third daemon to listen',
      async () => /listening on/.test(third.output()),
      30_000,
    );
    expect(third.child.exitCode).to.equal(null);
  });

  it('the lock is held per database file and released on release(); :memory: needs none', () => {
    const url = tempSqliteUrl();
    const lock = lockSqliteDatabase(url)!;
    expect(existsSync(lock.file)).to.equal(true);
    let err: unknown = null;
    try {
      lockSqliteDatabase(url);
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(TaskrError);
    expect((err as TaskrError).code).to.equal('store.sqlite_locked');
    expect((err as Error).message).to.contain(url.slice('sqlite:'.length));
    const other = lockSqliteDatabase(tempSqliteUrl('other.sqlite'))!;
    other.release();
    lock.release();
    lockSqliteDatabase(url)!.release();
    expect(lockSqliteDatabase('sqlite::memory:')).to.equal(null);
    expect(lockSqliteDatabase('postgres://u@127.0.0.1/x')).to.equal(null);
  });
});
