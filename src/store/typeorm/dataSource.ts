// Builds and opens the TypeORM DataSource for a parsed store URL, then migrates.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type Database from 'better-sqlite3';
import { buildEntities } from './entities.js';
import { MIGRATIONS } from './migrations/index.js';
import type { ParsedStoreUrl } from './storeUrl.js';
import { isUniqueViolation } from './sql.js';
import { BACKSTOP_PAGES, WAL_SIZE_LIMIT_BYTES } from './walCheckpointer.js';

export const SQLITE_BUSY_TIMEOUT_MS = 5000;

function options(parsed: ParsedStoreUrl): DataSourceOptions {
  const common = {
    entities: buildEntities(parsed.kind),
    migrations: MIGRATIONS,
    migrationsTableName: 'taskr_migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
  } as const;
  if (parsed.kind === 'sqlite') {
    return {
      ...common,
      type: 'better-sqlite3',
      database: parsed.path,
      timeout: SQLITE_BUSY_TIMEOUT_MS,
      prepareDatabase: (db: Database.Database) => {
        db.pragma('journal_mode = WAL');
        db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
        db.pragma('synchronous = NORMAL');
        db.pragma('foreign_keys = ON');
        // Checkpoints run on a worker thread (walCheckpointer.ts); SQLite's own, inside a
        // COMMIT on the event loop, only as a backstop. A no-op for :memory:.
        db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
        // A restarted WAL keeps its largest size on disk unless limited.
        db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
      },
    };
  }
  return {
    ...common,
    type: 'postgres',
    url: parsed.url,
    ...(parsed.schema
      ? { schema: parsed.schema, extra: { options: `-c search_path="${parsed.schema}"` } }
      : {}),
  };
}

/** Opens the DataSource (creating the SQLite parent folder or the PG schema as needed). */
export async function openDataSource(parsed: ParsedStoreUrl): Promise<DataSource> {
  if (parsed.kind === 'sqlite' && parsed.path !== ':memory:') {
    mkdirSync(dirname(parsed.path), { recursive: true });
  }
  const ds = new DataSource(options(parsed));
  await ds.initialize();
  try {
    if (parsed.kind === 'postgres' && parsed.schema) {
      await ds.query(`CREATE SCHEMA IF NOT EXISTS "${parsed.schema}"`);
    }
  } catch (err) {
    // Two daemons creating the schema at once: one gets a unique violation; it exists now.
    if (!isUniqueViolation(err)) {
      await ds.destroy();
      throw err;
    }
  }
  return ds;
}

/**
 * Runs pending migrations, all in one transaction, serialised between daemons starting
 * together so only one applies each migration. PostgreSQL: an advisory lock per schema
 * around runMigrations({transaction: 'all'}). SQLite: the whole run (including TypeORM's
 * check of applied migrations) inside one BEGIN IMMEDIATE, which takes the file's write
 * lock first (others wait up to busy_timeout) - the same all-or-nothing as 'all'.
 */
export async function migrate(ds: DataSource, parsed: ParsedStoreUrl): Promise<void> {
  if (parsed.kind === 'sqlite') {
    await ds.query('BEGIN IMMEDIATE');
    try {
      await ds.runMigrations({ transaction: 'none' });
      await ds.query('COMMIT');
    } catch (err) {
      await ds.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
    return;
  }
  const qr = ds.createQueryRunner();
  await qr.connect();
  const key = `taskr-migrate:${parsed.schema ?? 'public'}`;
  try {
    await qr.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
    try {
      await ds.runMigrations({ transaction: 'all' });
    } finally {
      await qr.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
    }
  } finally {
    await qr.release();
  }
}
