// A real daemon for ops and CLI tests: in-process (startDaemon on 127.0.0.1:0, SQLite in a
// tmp dir, optionally a ManualClock) or as a child process (`node bin/taskr.js serve`).
// Both are given admin credentials, so they keep working with authentication enforced.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../src/clock/clock.js';
import { loadConfig, type ConfigInput } from '../../src/config/config.js';
import { startDaemon, type Daemon } from '../../src/daemon.js';
import { silentLogger } from '../../src/log/logger.js';

export const ADMIN = { username: 'admin', password: 'ops-test-password-1234' };
export const BASIC = `Basic ${Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString('base64')}`;

export function tmpDir(prefix = 'taskr-ops-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface TestDaemon {
  daemon: Daemon;
  url: string;
  dir: string;
  /** fetch with the admin's Basic credentials. */
  request(path: string, init?: RequestInit): Promise<Response>;
  /** JSON in, JSON out; throws unless the status is the expected one. */
  json<T>(method: string, path: string, body?: unknown, expect?: number): Promise<T>;
  stop(): Promise<void>;
}

export async function startTestDaemon(
  opts: { clock?: Clock; overrides?: ConfigInput } = {},
): Promise<TestDaemon> {
  const dir = tmpDir();
  const config = loadConfig({
    env: {},
    file: null,
    overrides: {
      port: 0,
      bind: '127.0.0.1',
      dataDir: dir,
      databaseUrl: `sqlite:${join(dir, 'taskr.sqlite')}`,
      nodeName: 'ops-test',
      timezone: 'UTC',
      auth: { username: ADMIN.username, password: ADMIN.password },
      ...opts.overrides,
    },
  });
  const daemon = await startDaemon({ config, clock: opts.clock, logger: silentLogger() });
  const url = daemon.url!;
  const request = (path: string, init: RequestInit = {}) =>
    fetch(`${url}${path}`, {
      ...init,
      headers: { authorization: BASIC, ...(init.headers as Record<string, string>) },
    });
  return {
    daemon,
    url,
    dir,
    request,
    async json<T>(method: string, path: string, body?: unknown, expected?: number): Promise<T> {
      const res = await request(path, {
        method,
        headers:
          body === undefined
            ? { accept: 'application/json' }
            : { 'content-type': 'application/json', accept: 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (expected !== undefined && res.status !== expected) {
        throw new Error(`${method} ${path}: expected ${expected}, got ${res.status}: ${text}`);
      }
      return (text ? JSON.parse(text) : null) as T;
    },
    stop: () => daemon.stop(0),
  };
}

export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | null | false>,
  ms = 10_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface ChildDaemon {
  child: ChildProcess;
  url: string;
  dir: string;
  databaseUrl: string;
  /** Everything the child wrote to stdout so far. */
  stdout(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  request(path: string, init?: RequestInit): Promise<Response>;
}

/** Spawns `node bin/taskr.js serve ...args` and resolves once it logged `listening on <url>`. */
export async function spawnDaemon(
  args: string[] = [],
  env: Record<string, string> = {},
  dir = tmpDir(),
): Promise<ChildDaemon> {
  const databaseUrl = `sqlite:${join(dir, 'taskr.sqlite')}`;
  const child = spawn(process.execPath, ['bin/taskr.js', 'serve', ...args], {
    env: {
      ...process.env,
      TASKR_CONFIG: '',
      TASKR_PORT: '0',
      TASKR_BIND: '127.0.0.1',
      TASKR_DATA_DIR: dir,
      TASKR_DATABASE_URL: databaseUrl,
      TASKR_LOG_FORMAT: 'json',
      TASKR_LOG_LEVEL: 'info',
      TASKR_USERNAME: ADMIN.username,
      TASKR_PASSWORD: ADMIN.password,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let exit: { code: number | null } | null = null;
  void exited.then((e) => (exit = e));
  const url = await waitFor(
    'the daemon to log "listening on"',
    async () => {
      if (exit)
        throw new Error(`taskr serve exited with ${exit.code} before listening:\n${out}\n${err}`);
      return /listening on (http:\/\/[^\s"]+)/.exec(out)?.[1];
    },
    30_000,
  );
  return {
    child,
    url,
    dir,
    databaseUrl,
    stdout: () => out,
    exited,
    request: (path, init = {}) =>
      fetch(`${url}${path}`, {
        ...init,
        headers: { authorization: BASIC, ...(init.headers as Record<string, string>) },
      }),
  };
}
