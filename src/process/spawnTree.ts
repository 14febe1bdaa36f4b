// Spawns a command in its own process group so that a timeout or cancel can kill the whole
// tree (the shell and everything it started), not just the direct child. Output is streamed
// line by line. Invariant: the promise settles only after the child exited and its output was
// read (or the drain grace passed), and, after an abort, once the group is gone or SIGKILLed.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { systemClock, type Clock, type TimerHandle } from '../clock/clock.js';
import { LineSplitter } from './lineSplitter.js';
import { lookupUser } from './userLookup.js';

export type OutputStream = 'stdout' | 'stderr';
export type AbortKind = 'timeout' | 'cancel';

export interface SpawnTreeOptions {
  file: string;
  args: readonly string[];
  cwd?: string;
  /** The child's whole environment (callers merge process.env themselves). */
  env?: NodeJS.ProcessEnv;
  /** Run as this user (needs root, unless it names the current user). */
  asUser?: string | null;
  signal?: AbortSignal;
  onLine?: (line: string, stream: OutputStream) => void;
  /** Between SIGTERM and SIGKILL to the group after an abort. */
  killGraceMs?: number;
  /** How long output is still read after the child exited while descendants hold the pipes. */
  drainMs?: number;
  /** Real timers by default: the grace periods are about real processes, not scheduler time. */
  clock?: Clock;
}

export interface SpawnTreeResult {
  pid: number;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  aborted: AbortKind | null;
}

/** How an AbortSignal was aborted: the runner aborts with reason 'timeout' or 'cancel'. */
export function abortKind(signal: AbortSignal): AbortKind {
  const r: unknown = signal.reason;
  if (r === 'timeout') return 'timeout';
  if (r instanceof Error && (r.name === 'TimeoutError' || r.message === 'timeout')) {
    return 'timeout';
  }
  return 'cancel';
}

interface Identity {
  uid?: number;
  gid?: number;
  env: NodeJS.ProcessEnv;
}

async function identityFor(asUser: string | null | undefined, env: NodeJS.ProcessEnv) {
  if (!asUser) return { env } satisfies Identity;
  const uid = process.getuid?.() ?? -1;
  if (uid !== 0) {
    if (userInfo().username === asUser) return { env } satisfies Identity;
    throw new Error(
      `as_user '${asUser}' needs the daemon to run as root (it runs as uid ${uid} ${userInfo().username})`,
    );
  }
  const user = await lookupUser(asUser);
  if (!user) throw new Error(`as_user '${asUser}': no such user on this machine`);
  const home = user.home ?? '/';
  const userEnv = { ...env, HOME: home, USER: user.name, LOGNAME: user.name };
  return { uid: user.uid, gid: user.gid, env: userEnv } satisfies Identity;
}

function killGroup(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, sig);
    return true;
  } catch {
    return false; // ESRCH: the group is already gone
  }
}

/**
 * Whether the group still has a live member. Zombies do not count: they are dead, and where
 * PID 1 does not reap orphans (some containers) they would otherwise look alive forever.
 */
function groupAlive(pgid: number): boolean {
  if (!killGroup(pgid, 0 as unknown as NodeJS.Signals)) return false;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return true; // no /proc: trust kill(-pgid, 0)
  }
  return pids.some((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(fields[2]) === pgid && fields[0] !== 'Z';
    } catch {
      return false; // exited meanwhile
    }
  });
}

function delay(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimer(resolve, ms));
}

/** After an abort: wait for the group to die of SIGTERM, SIGKILL it once the grace is over. */
async function reapGroup(pid: number, clock: Clock, graceMs: number, started: number) {
  while (groupAlive(pid) && clock.now() - started < graceMs) await delay(clock, 25);
  killGroup(pid, 'SIGKILL');
}

export async function spawnTree(opts: SpawnTreeOptions): Promise<SpawnTreeResult> {
  const clock = opts.clock ?? systemClock;
  const signal = opts.signal;
  const id = await identityFor(opts.asUser, opts.env ?? process.env);
  if (signal?.aborted) return { pid: 0, exitCode: null, signal: null, aborted: abortKind(signal) };

  const child = spawn(opts.file, [...opts.args], {
    cwd: opts.cwd,
    env: id.env,
    uid: id.uid,
    gid: id.gid,
    detached: true, // own process group: -pid reaches every descendant that did not setsid
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const onLine = opts.onLine ?? (() => {});
  const out = new LineSplitter((l) => onLine(l, 'stdout'));
  const err = new LineSplitter((l) => onLine(l, 'stderr'));
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => err.push(c));

  return new Promise<SpawnTreeResult>((resolve, reject) => {
    let aborted: AbortKind | null = null;
    let abortedAt = 0;
    let hardKill: TimerHandle | null = null;
    const graceMs = opts.killGraceMs ?? 2000;
    const onAbort = () => {
      if (aborted || child.pid === undefined) return;
      const target = child.pid;
      aborted = abortKind(signal!);
      abortedAt = clock.now();
      killGroup(target, 'SIGTERM');
      // Even a child that ignores SIGTERM (and so never exits) dies after the grace.
      hardKill = clock.setTimer(() => killGroup(target, 'SIGKILL'), graceMs);
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    child.once('error', (e: NodeJS.ErrnoException) => {
      signal?.removeEventListener('abort', onAbort);
      if (child.pid !== undefined) killGroup(child.pid, 'SIGKILL');
      const why = e.code === 'ENOENT' ? 'not found (is it installed and on PATH?)' : e.message;
      reject(new Error(`cannot start '${opts.file}': ${why}`));
    });
    if (child.pid === undefined) return; // the 'error' event follows

    const pid = child.pid;
    child.once('exit', () => {
      // Descendants may still hold the pipes open: stop reading after the drain grace.
      const drain = clock.setTimer(() => {
        child.stdout.destroy();
        child.stderr.destroy();
      }, opts.drainMs ?? 2000);
      child.once('close', (code: number | null, sig: NodeJS.Signals | null) => {
        clock.clearTimer(drain);
        out.end();
        err.end();
        signal?.removeEventListener('abort', onAbort);
        const done = () => {
          if (hardKill) clock.clearTimer(hardKill);
          resolve({ pid, exitCode: code, signal: sig, aborted });
        };
        if (!aborted) return done();
        reapGroup(pid, clock, graceMs, abortedAt).then(done, done);
      });
    });
    if (signal?.aborted) onAbort(); // aborted between the check above and the listener
  });
}
