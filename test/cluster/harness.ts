// Cluster tests on real parts: `node bin/taskr.js serve` child processes on one PostgreSQL
// schema, found through the nodes table (they listen on port 0 and report their address).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Run, ScheduleMethod } from '../../src/domain/types.js';
import type { NodeListing, Store, TaskRecordInput } from '../../src/store/store.js';

const BIN = fileURLToPath(new URL('../../bin/taskr.js', import.meta.url));
const REPO = fileURLToPath(new URL('../..', import.meta.url));

export function pgConfigured(): boolean {
  return (process.env.TASKR_TEST_PG_URL ?? '').trim() !== '';
}

let warned = false;

/**
 * A suite that needs PostgreSQL: skipped with a printed notice when TASKR_TEST_PG_URL is
 * unset, unless TASKR_REQUIRE_PG=1 (then it runs and fails, naming the variable).
 */
export function describePg(title: string, body: (this: Mocha.Suite) => void): void {
  if (pgConfigured() || process.env.TASKR_REQUIRE_PG === '1') {
    describe(title, body);
    return;
  }
  if (!warned) {
    warned = true;
    console.warn(
      'Cluster tests skipped: set TASKR_TEST_PG_URL=postgres://postgres@127.0.0.1:5432/test to run them',
    );
  }
  describe.skip(title, body);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | null | false>,
  ms = 15_000,
  stepMs = 50,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(stepMs);
  }
}

export interface NodeProcess {
  name: string;
  child: ChildProcess;
  /** The last 8 kB of stdout and stderr. */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const dirs: string[] = [];
const children = new Set<NodeProcess>();

/** Spawns `taskr serve` as node `name` on the database (port 0, log level warn, auth off). */
export function spawnNode(
  name: string,
  databaseUrl: string,
  env: Record<string, string> = {},
): NodeProcess {
  const dataDir = mkdtempSync(join(tmpdir(), `taskr-cluster-${name}-`));
  dirs.push(dataDir);
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    TASKR_PORT: '0',
    TASKR_BIND: '127.0.0.1',
    TASKR_NODE_NAME: name,
    TASKR_DATABASE_URL: databaseUrl,
    TASKR_DATA_DIR: dataDir,
    TASKR_LOG_LEVEL: 'warn',
    TASKR_AUTH_ENABLED: 'false',
    ...env,
  };
  delete childEnv.TASKR_CONFIG;
  delete childEnv.TASKR_TASKS_FILE;
  const child = spawn(process.execPath, [BIN, 'serve'], {
    cwd: REPO,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (chunk: Buffer) => (out = (out + chunk.toString()).slice(-8_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const proc: NodeProcess = {
    name,
    child,
    output: () => out,
    exited,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
      children.delete(proc);
    },
  };
  children.add(proc);
  return proc;
}

/** Kills every node still running (SIGKILL: fast) and removes their data folders. */
export async function killAll(): Promise<void> {
  await Promise.all([...children].map((c) => c.kill('SIGKILL')));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Waits until every named node is alive with an address; returns name -> base URL. */
export async function waitForNodes(
  store: Store,
  procs: NodeProcess[],
  leaseMs: number,
  ms = 30_000,
): Promise<Map<string, string>> {
  let last: NodeListing[] = [];
  try {
    return await waitFor(
      `nodes ${procs.map((p) => p.name).join(', ')} to register`,
      async () => {
        for (const p of procs) {
          if (p.child.exitCode !== null) throw new Error(`node ${p.name} exited:\n${p.output()}`);
        }
        last = await store.nodes.list(leaseMs);
        const urls = new Map<string, string>();
        for (const n of last) if (n.alive && n.address) urls.set(n.name, n.address);
        return procs.every((p) => urls.has(p.name)) && urls;
      },
      ms,
      100,
    );
  } catch (err) {
    const outputs = procs.map((p) => `--- ${p.name}:\n${p.output()}`).join('\n');
    throw new Error(`${(err as Error).message}; nodes: ${JSON.stringify(last)}\n${outputs}`, {
      cause: err,
    });
  }
}

export function taskRecord(
  name: string,
  opts: {
    method?: ScheduleMethod;
    when?: string;
    next: Date | null;
    command?: string;
    retries?: number;
    overlap?: 'skip' | 'allow';
  },
): TaskRecordInput {
  return {
    name,
    memo: null,
    scheduleMethod: opts.method ?? 'every',
    scheduleWhen: opts.when ?? '1s',
    timezone: null,
    enabled: true,
    policies: {
      overlap: opts.overlap ?? null,
      misfire: null,
      timeoutMs: null,
      retries: opts.retries ?? null,
      retryBackoffMs: opts.retries ? 0 : null,
    },
    createdBy: null,
    nextTriggerAt: opts.next,
    actions: [
      opts.command
        ? { actionClassName: 'Shell', parameters: { command: opts.command } }
        : { actionClassName: 'Log', parameters: { message: '' } },
    ],
  };
}

/** Every run of the tasks (all pages). */
export async function allRuns(store: Store, taskId?: number): Promise<Run[]> {
  const { runs } = await store.runs.list({ taskId, limit: 1_000_000 });
  return runs.sort((a, b) => a.id - b.id);
}

export async function jsonRequest(
  method: string,
  url: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text for the assertion message
  }
  return { status: res.status, body: parsed };
}
