// Test databases: a fresh SQLite file per test, and (with TASKR_TEST_PG_URL) a fresh
// PostgreSQL schema per test, so store suites run the same tests on both backends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export type BackendName = 'sqlite' | 'postgres';

export interface Backend {
  name: BackendName;
  /** False when PostgreSQL is not configured (the suite should skip, visibly). */
  available: boolean;
  /** A URL to a fresh, empty database (removed by cleanupDatabases()). */
  url(): Promise<string>;
}

const tmpDirs: string[] = [];
const pgSchemas: { base: string; schema: string }[] = [];

/** `sqlite:` URL of a new file in a new tmp folder (the file does not exist yet). */
export function tempSqliteUrl(fileName = 'taskr.sqlite'): string {
  const dir = mkdtempSync(join(tmpdir(), 'taskr-test-'));
  tmpDirs.push(dir);
  return `sqlite:${join(dir, fileName)}`;
}

function pgBaseUrl(): string | undefined {
  const url = process.env.TASKR_TEST_PG_URL;
  return url && url.trim() !== '' ? url.trim() : undefined;
}

/** A fresh schema name on TASKR_TEST_PG_URL; openStore creates it on first open. */
export async function tempPostgresUrl(): Promise<string> {
  const base = pgBaseUrl();
  if (!base) throw new Error('TASKR_TEST_PG_URL is not set');
  const schema = `taskr_test_${randomBytes(6).toString('hex')}`;
  pgSchemas.push({ base, schema });
  const u = new URL(base);
  u.searchParams.set('schema', schema);
  return u.toString();
}

let warned = false;

/**
 * The backends store suites run on. PostgreSQL without TASKR_TEST_PG_URL: fails the
 * run when TASKR_REQUIRE_PG=1, otherwise is reported unavailable with a printed notice.
 */
export function backends(): Backend[] {
  const hasPg = pgBaseUrl() !== undefined;
  if (!hasPg && process.env.TASKR_REQUIRE_PG !== '1' && !warned) {
    warned = true;
    console.warn(
      'PostgreSQL tests skipped: set TASKR_TEST_PG_URL=postgres://postgres@127.0.0.1:5432/test to run them',
    );
  }
  return [
    { name: 'sqlite', available: true, url: async () => tempSqliteUrl() },
    {
      name: 'postgres',
      available: hasPg || process.env.TASKR_REQUIRE_PG === '1',
      url: async () => {
        if (!pgBaseUrl()) {
          throw new Error(
            'TASKR_REQUIRE_PG=1 but TASKR_TEST_PG_URL is not set; set it, e.g. TASKR_TEST_PG_URL=postgres://postgres@127.0.0.1:5432/test',
          );
        }
        return tempPostgresUrl();
      },
    },
  ];
}

/**
 * Registers a suite per backend: `describe('<title> [sqlite]')`, `... [postgres]`. An
 * unavailable backend registers a pending suite (mocha prints it as pending).
 */
export function describeEachBackend(title: string, body: (backend: Backend) => void): void {
  for (const backend of backends()) {
    const name = `${title} [${backend.name}]`;
    if (backend.available) describe(name, () => body(backend));
    else describe.skip(name, () => body(backend));
  }
}

/** Removes tmp folders and drops schemas created so far (call from an after/afterEach hook). */
export async function cleanupDatabases(): Promise<void> {
  for (const dir of tmpDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  const byBase = new Map<string, string[]>();
  for (const { base, schema } of pgSchemas.splice(0)) {
    byBase.set(base, [...(byBase.get(base) ?? []), schema]);
  }
  for (const [base, schemas] of byBase) {
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    try {
      for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await client.end();
    }
  }
}
