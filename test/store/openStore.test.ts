import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DataSource } from 'typeorm';
import { TaskrError } from '../../src/errors.js';
import { openStore } from '../../src/store/openStore.js';
import { MIGRATIONS } from '../../src/store/typeorm/migrations/index.js';
import type { Store } from '../../src/store/store.js';
import { cleanupDatabases, describeEachBackend, tempSqliteUrl } from '../helpers/databases.js';
import { T0, at, claim, taskInput } from './fixtures.js';

describeEachBackend('store: openStore', (backend) => {
  const open: Store[] = [];
  const track = (s: Store): Store => (open.push(s), s);
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    await cleanupDatabases();
  });

  it('migrations are idempotent: a second open on the same database migrates nothing and keeps data', async () => {
    const url = await backend.url();
    const first = track(await openStore(url));
    expect(first.kind).to.equal(backend.name);
    await first.tasks.create(taskInput(), T0);
    await first.close();
    open.length = 0;
    const second = track(await openStore(url));
    expect(await second.tasks.count()).to.equal(1);
    const ds = (
      second as unknown as { dataSource: { query(q: string): Promise<{ n: unknown }[]> } }
    ).dataSource;
    expect(Number((await ds.query('SELECT COUNT(*) AS n FROM taskr_migrations'))[0].n)).to.equal(
      MIGRATIONS.length,
    );
    const third = track(await openStore(url, { migrate: false }));
    expect(await third.tasks.count()).to.equal(1);
  });

  it('the EntitySchema definitions match the migrated schema (TypeORM finds nothing to change)', async () => {
    const s = track(await openStore(await backend.url()));
    const ds = (s as unknown as { dataSource: DataSource }).dataSource;
    const pending = await ds.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).to.deep.equal([]);
    expect(ds.entityMetadatas.map((m) => m.tableName).sort()).to.deep.equal([
      'log_entries',
      'nodes',
      'runs',
      'task_actions',
      'tasks',
    ]);
  });

  it('two stores opening a fresh database at the same time both migrate safely', async () => {
    const url = await backend.url();
    const [a, b] = await Promise.all([openStore(url), openStore(url)]);
    track(a);
    track(b);
    await a.tasks.create(taskInput(), T0);
    expect(await b.tasks.count()).to.equal(1);
  });

  it('migrate: false on an empty database warns about pending migrations', async () => {
    const warnings: string[] = [];
    track(
      await openStore(await backend.url(), {
        migrate: false,
        logger: { warn: (m) => warnings.push(m) },
      }),
    );
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.match(/pending migrations/);
  });

  it('a restart (close and reopen) keeps tasks, runs and logs with millisecond instants', async () => {
    const url = await backend.url();
    const s1 = await openStore(url);
    const task = await s1.tasks.create(
      taskInput({ nextTriggerAt: at('2031-12-31T23:59:59.999Z') }),
      at('2025-01-01T00:00:00.001Z'),
    );
    const [run] = await s1.runs.claim([
      claim(task.id, at('2025-06-30T12:34:56.789Z'), { runAt: at('2025-06-30T12:34:57.001Z') }),
    ]);
    await s1.runs.transition(run.id, 'pending', 'running', {
      startedAt: at('2025-06-30T12:34:57.002Z'),
    });
    await s1.logs.append([
      {
        timestamp: at('2025-06-30T12:34:57.003Z'),
        level: 'WARN',
        taskId: task.id,
        actionId: task.actions[0].id,
        runId: run.id,
        data: 'x',
      },
    ]);
    await s1.close();
    const s2 = track(await openStore(url));
    const t2 = await s2.tasks.get(task.id);
    expect(t2).to.deep.equal(task);
    expect(t2?.createdOn.toISOString()).to.equal('2025-01-01T00:00:00.001Z');
    expect(t2?.nextTriggerAt?.toISOString()).to.equal('2031-12-31T23:59:59.999Z');
    const r2 = await s2.runs.get(run.id);
    expect(r2?.scheduledFor.toISOString()).to.equal('2025-06-30T12:34:56.789Z');
    expect(r2?.runAt.toISOString()).to.equal('2025-06-30T12:34:57.001Z');
    expect(r2?.startedAt?.toISOString()).to.equal('2025-06-30T12:34:57.002Z');
    const [log] = await s2.logs.list({});
    expect(log.timestamp.toISOString()).to.equal('2025-06-30T12:34:57.003Z');
    expect(log.actionId).to.equal(task.actions[0].id);
    // The claim key survives the restart: the same occurrence cannot be claimed again.
    expect(await s2.runs.claim([claim(task.id, at('2025-06-30T12:34:56.789Z'))])).to.deep.equal([]);
  });

  it('instants one millisecond apart compare and order correctly', async () => {
    const s = track(await openStore(await backend.url()));
    const t = await s.tasks.create(taskInput(), T0);
    const base = at('2025-03-01T10:00:00.000Z').getTime();
    await s.logs.append(
      [0, 1, 2].map((i) => ({
        timestamp: new Date(base + i),
        level: 'INFO' as const,
        taskId: t.id,
        actionId: null,
        runId: null,
        data: `l${i}`,
      })),
    );
    const since = await s.logs.list({ since: new Date(base + 1), order: 'asc' });
    expect(since.map((e) => e.data)).to.deep.equal(['l1', 'l2']);
    expect(await s.logs.prune(new Date(base + 1))).to.equal(1);
  });

  it('databaseNow returns the database clock in ms', async () => {
    const s = track(await openStore(await backend.url()));
    const before = Date.now();
    const now = await s.databaseNow();
    expect(Number.isInteger(now)).to.equal(true);
    expect(now).to.be.within(before - 5000, Date.now() + 5000);
  });
});

describe('store: openStore URLs', () => {
  afterEach(cleanupDatabases);

  for (const url of [
    'mysql://localhost/x',
    'sqlite:',
    'file:./x.db',
    '',
    'postgres://h/db?schema=bad-name;drop',
  ]) {
    it(`rejects '${url}' with store.unsupported_url`, async () => {
      try {
        await openStore(url);
        expect.fail('should throw');
      } catch (err) {
        expect(err).to.be.instanceOf(TaskrError);
        expect((err as TaskrError).code).to.equal('store.unsupported_url');
        expect((err as TaskrError).params.url).to.equal(url);
      }
    });
  }

  it('sqlite: creates the parent folder and uses WAL, foreign keys and a busy timeout', async () => {
    const url = tempSqliteUrl();
    const nested = join(dirname(url.slice('sqlite:'.length)), 'a', 'b', 'db.sqlite');
    const s = await openStore(`sqlite:${nested}`);
    try {
      expect(existsSync(nested)).to.equal(true);
      const ds = (
        s as unknown as { dataSource: { query(q: string): Promise<Record<string, unknown>[]> } }
      ).dataSource;
      expect((await ds.query('PRAGMA journal_mode'))[0].journal_mode).to.equal('wal');
      expect((await ds.query('PRAGMA foreign_keys'))[0].foreign_keys).to.equal(1);
      expect((await ds.query('PRAGMA busy_timeout'))[0].timeout).to.equal(5000);
      expect((await ds.query('PRAGMA synchronous'))[0].synchronous).to.equal(1);
    } finally {
      await s.close();
    }
  });

  it('sqlite: relative paths resolve against the working directory; :memory: works', async () => {
    const mem = await openStore('sqlite::memory:');
    try {
      const t = await mem.tasks.create(taskInput(), T0);
      expect((await mem.tasks.get(t.id))?.name).to.equal('backup');
    } finally {
      await mem.close();
    }
    const url = tempSqliteUrl();
    const dir = dirname(url.slice('sqlite:'.length));
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const s = await openStore('sqlite:./rel/db.sqlite');
      await s.close();
      expect(existsSync(join(dir, 'rel', 'db.sqlite'))).to.equal(true);
    } finally {
      process.chdir(cwd);
    }
  });
});
