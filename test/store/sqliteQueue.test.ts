import { expect } from 'chai';
import { openStore } from '../../src/store/openStore.js';
import { SqlDb } from '../../src/store/typeorm/sql.js';
import type { DataSource } from 'typeorm';
import type { Store } from '../../src/store/store.js';
import { cleanupDatabases, tempSqliteUrl } from '../helpers/databases.js';

// The SQLite group commit: statements issued together share one transaction but keep
// their own results and errors, and calls run in the order they were made.
describe('store: SQLite statement queue', () => {
  let store: Store;
  let db: SqlDb;
  beforeEach(async () => {
    store = await openStore(tempSqliteUrl());
    db = new SqlDb('sqlite', (store as unknown as { dataSource: DataSource }).dataSource);
    await db.query('CREATE TABLE q (id integer PRIMARY KEY, v text NOT NULL)');
  });
  afterEach(async () => {
    await store.close();
    await cleanupDatabases();
  });

  it('a failing statement in a group rejects alone; the others commit', async () => {
    const results = await Promise.allSettled([
      db.exec('INSERT INTO q (id, v) VALUES (1, ?)', ['a']),
      db.exec('INSERT INTO q (id, v) VALUES (1, ?)', ['duplicate']),
      db.exec('INSERT INTO q (id, v) VALUES (2, ?)', [null]),
      db.exec('INSERT INTO q (id, v) VALUES (3, ?)', ['c']),
    ]);
    expect(results.map((r) => r.status)).to.deep.equal([
      'fulfilled',
      'rejected',
      'rejected',
      'fulfilled',
    ]);
    expect(await db.query('SELECT id, v FROM q ORDER BY id')).to.deep.equal([
      { id: 1, v: 'a' },
      { id: 3, v: 'c' },
    ]);
  });

  it('keeps call order between single statements and transactions', async () => {
    const seen: string[] = [];
    await Promise.all([
      db.exec('INSERT INTO q (id, v) VALUES (1, ?)', ['first']),
      db.transaction(async (tx) => {
        seen.push(String((await tx.query('SELECT v FROM q WHERE id = 1'))[0]?.v));
        await tx.query('UPDATE q SET v = ? WHERE id = 1', ['tx']);
      }),
      db.exec('UPDATE q SET v = ? WHERE id = 1', ['last']),
    ]);
    expect(seen).to.deep.equal(['first']);
    expect(await db.query('SELECT v FROM q WHERE id = 1')).to.deep.equal([{ v: 'last' }]);
  });

  it('a failed transaction rolls back and later statements still run', async () => {
    const failing = db.transaction(async (tx) => {
      await tx.query('INSERT INTO q (id, v) VALUES (5, ?)', ['rolled back']);
      throw new Error('boom');
    });
    const after = db.exec('INSERT INTO q (id, v) VALUES (6, ?)', ['kept']);
    await Promise.allSettled([failing, after]);
    expect(await db.query('SELECT id FROM q ORDER BY id')).to.deep.equal([{ id: 6 }]);
  });
});
