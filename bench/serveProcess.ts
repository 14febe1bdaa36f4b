// Runs `node bin/taskr.js serve` as a child process on a given database and measures it:
// spawn to ready (GET /health answers 200, which the daemon only serves after the scheduler
// has loaded every task) and its resident memory from /proc/<pid>/status.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { trackChild } from './cleanup.js';
import { sleep } from './instants.js';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';

const BIN = join(PACKAGE_ROOT, 'bin', 'taskr.js');
const REPO = PACKAGE_ROOT;

export interface ServeOptions {
  databaseUrl: string;
  dataDir: string;
  /** Give up waiting for ready after this many ms. */
  timeoutMs: number;
}

export interface ServeProcess {
  pid: number;
  port: number;
  /** Spawn to the first 200 from /health, ms. */
  readyMs: number;
  /** VmRSS and VmHWM (peak) in bytes. */
  memory(): { rss: number; hwm: number };
  /** SIGTERM, then SIGKILL if it has not exited within 10 s. */
  stop(): Promise<void>;
}

/** A port free right now on 127.0.0.1 (taken by the OS, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Status code of GET url, or null when nothing answers (yet). */
export function httpStatus(url: string): Promise<number | null> {
  return new Promise((resolve) => {
    const req = request(url, { timeout: 1_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? null);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
    req.end();
  });
}

/** VmRSS and VmHWM of a live process, in bytes (Linux /proc). */
export function procMemory(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) =>
    Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited(child);
  clearTimeout(killer);
}

/** Spawns the daemon and resolves once /health answers 200; rejects (child killed) on exit or timeout. */
export async function startServe(opts: ServeOptions): Promise<ServeProcess> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TASKR_DATABASE_URL: opts.databaseUrl,
    TASKR_DATA_DIR: opts.dataDir,
    TASKR_PORT: String(port),
    TASKR_BIND: '127.0.0.1',
    TASKR_LOG_LEVEL: 'warn',
  };
  delete env.TASKR_CONFIG;
  delete env.TASKR_TASKS_FILE;
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [BIN, 'serve'], {
    cwd: REPO,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  trackChild(child);
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}/health`;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `bench: taskr serve exited (${child.exitCode ?? child.signalCode}) before ready:\n${output}`,
      );
    }
    if (performance.now() - spawnedAt > opts.timeoutMs) {
      await stopChild(child);
      throw new Error(`bench: taskr serve not ready within ${opts.timeoutMs} ms:\n${output}`);
    }
    if ((await httpStatus(url)) === 200) break;
    await sleep(5);
  }
  const readyMs = performance.now() - spawnedAt;
  return {
    pid: child.pid!,
    port,
    readyMs,
    memory: () => procMemory(child.pid!),
    stop: () => stopChild(child),
  };
}
