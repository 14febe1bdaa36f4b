// Tmp folders and child processes the benches create, removed/killed on every exit path
// (normal end, thrown error, Ctrl-C), so a bench never leaves files or processes behind.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dirs = new Set<string>();
const children = new Set<ChildProcess>();

/** A new folder under the OS tmp dir, removed by cleanupAll(). */
export function makeTmpDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `taskr-bench-${prefix}-`));
  dirs.add(dir);
  return dir;
}

export function removeTmpDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  dirs.delete(dir);
}

/** Registers a child so it is killed if the bench ends before it does. */
export function trackChild(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
}

/** Synchronous, so it also works from process 'exit'. */
export function cleanupAll(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
  for (const dir of [...dirs]) removeTmpDir(dir);
}

let installed = false;
/** Cleans up on exit and on SIGINT/SIGTERM (then exits 130/143). */
export function installCleanupHandlers(): void {
  if (installed) return;
  installed = true;
  process.once('exit', cleanupAll);
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      cleanupAll();
      process.exit(code);
    });
  }
}

/** Rejects with a message naming what timed out if `p` does not settle within ms. */
export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`bench: ${what} did not finish within ${ms} ms`)),
      ms,
    );
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
