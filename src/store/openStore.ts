// The one way to open Taskr's store from a database URL.
import type { Store } from './store.js';
import { AsyncLock, sqliteFileLock } from './typeorm/asyncLock.js';
import { migrate, openDataSource } from './typeorm/dataSource.js';
import { parseStoreUrl } from './typeorm/storeUrl.js';
import { TypeormStore } from './typeorm/typeormStore.js';

export interface OpenStoreOptions {
  /** Apply pending migrations (default true). When false, pending ones are only warned about. */
  migrate?: boolean;
  logger?: { warn(msg: string): void };
}

/**
 * Opens `sqlite:./relative/path`, `sqlite:/abs/path`, `sqlite::memory:`,
 * `postgres://...` or `postgresql://...` (optional `?schema=name`). Anything else throws
 * store.unsupported_url.
 */
export async function openStore(url: string, opts: OpenStoreOptions = {}): Promise<Store> {
  const parsed = parseStoreUrl(url);
  const lock = parsed.kind === 'sqlite' ? sqliteFileLock(parsed.path) : new AsyncLock();
  const ds = await openDataSource(parsed);
  try {
    if (opts.migrate ?? true) await lock.run(() => migrate(ds, parsed));
    else if (await ds.showMigrations()) {
      opts.logger?.warn(
        'store: the database has pending migrations; run taskr with migrations enabled before use',
      );
    }
  } catch (err) {
    await ds.destroy();
    throw err;
  }
  const store = new TypeormStore(parsed.kind, ds, lock);
  if (parsed.kind === 'sqlite' && parsed.path !== ':memory:')
    store.checkpointInBackground(parsed.path, (msg) => opts.logger?.warn(msg));
  return store;
}
