// The optional pid file: written at start-up, removed on exit. A pid file naming a live
// process means another daemon is running, so start-up refuses; a stale one (its process
// is gone) is replaced. Removal only deletes a file that still names this process.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** An operator-facing start-up problem: the CLI prints the message, not a stack. */
export class OpsError extends Error {
  override readonly name = 'OpsError';
}

function readPid(path: string): number | null {
  try {
    const n = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Writes `pid\n` to path (creating its folder). Throws OpsError if a live process holds it. */
export function writePidFile(path: string, pid = process.pid): void {
  const holder = readPid(path);
  if (holder !== null && holder !== pid && processAlive(holder)) {
    throw new OpsError(
      `pid file ${path} names process ${holder}, which is running: is another taskr using it? ` +
        'Stop it, or choose another --pid-file',
    );
  }
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${pid}\n`, { mode: 0o644 });
  } catch (err) {
    throw new OpsError(`cannot write pid file ${path}: ${(err as Error).message}`);
  }
}

/** Removes the pid file if it still names pid; never throws (it runs on exit). */
export function removePidFile(path: string, pid = process.pid): boolean {
  if (readPid(path) !== pid) return false;
  try {
    rmSync(path, { force: true });
    return true;
  } catch {
    return false;
  }
}
