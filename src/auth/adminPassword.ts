// The secure default: with no credentials configured, the first start generates an admin
// password and keeps it in a file only the daemon's user can read (mode 0600); later
// starts reuse it. The file holds the plaintext because the operator must read it once;
// the daemon itself keeps only its hash in memory.
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fstatSync, openSync, readFileSync, writeSync } from 'node:fs';
import { TaskrError } from '../errors.js';

export interface AdminPassword {
  password: string;
  file: string;
  /** This start wrote the file. */
  created: boolean;
  /** The file was readable by others and its mode was tightened to 0600. */
  tightened: boolean;
}

function fail(file: string, detail: string): TaskrError {
  return new TaskrError('auth.password_file', { file, detail });
}

function readExisting(file: string): AdminPassword {
  const fd = openSync(file, 'r');
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw fail(file, 'is not a regular file');
    if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) {
      throw fail(file, `is owned by uid ${stat.uid}, not by the daemon's user`);
    }
    const tightened = (stat.mode & 0o077) !== 0;
    if (tightened) chmodSync(file, 0o600);
    const password = readFileSync(fd, 'utf8').trim();
    if (password.length < 12) throw fail(file, 'holds no password of at least 12 characters');
    return { password, file, created: false, tightened };
  } finally {
    closeSync(fd);
  }
}

/** Reads the generated admin password, creating the file (0600, never following a symlink) first. */
export function ensureAdminPassword(file: string): AdminPassword {
  const password = randomBytes(18).toString('base64url');
  let fd: number;
  try {
    // 'wx' = O_CREAT|O_EXCL: fails if anything (even a dangling symlink) is already there.
    fd = openSync(file, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readExisting(file);
    throw fail(file, `cannot be created: ${(err as Error).message}`);
  }
  try {
    writeSync(fd, `${password}\n`);
  } finally {
    closeSync(fd);
  }
  return { password, file, created: true, tightened: false };
}
