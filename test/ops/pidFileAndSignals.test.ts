// The pid file rules and the signal handler's decisions, in-process (the child-process
// test covers the real signals end to end).
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OpsError, removePidFile, writePidFile } from '../../src/ops/pidFile.js';
import { installSignalHandlers } from '../../src/ops/signals.js';
import { tmpDir } from './daemonHarness.js';

const quietLogger = () => {
  const lines: string[] = [];
  const log = (obj: object | string, msg?: string) =>
    void lines.push(typeof obj === 'string' ? obj : (msg ?? ''));
  return { lines, info: log, warn: log, error: log };
};

describe('pid file', () => {
  it('is written with the pid, creating its folder, and removed only by its owner', () => {
    const file = join(tmpDir(), 'a', 'b', 'taskr.pid');
    writePidFile(file, process.pid);
    expect(readFileSync(file, 'utf8')).to.equal(`${process.pid}\n`);
    expect(removePidFile(file, process.pid + 1)).to.equal(false);
    expect(existsSync(file)).to.equal(true);
    expect(removePidFile(file, process.pid)).to.equal(true);
    expect(existsSync(file)).to.equal(false);
  });

  it('refuses a pid file held by a live process and replaces a stale one', async () => {
    const file = join(tmpDir(), 'taskr.pid');
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], {
      stdio: 'ignore',
    });
    try {
      writeFileSync(file, `${other.pid}\n`);
      expect(() => writePidFile(file, process.pid)).to.throw(
        OpsError,
        /names process \d+, which is running/,
      );
      expect(readFileSync(file, 'utf8').trim()).to.equal(String(other.pid));
    } finally {
      other.kill('SIGKILL');
      await new Promise((r) => other.once('exit', r));
    }
    writePidFile(file, process.pid); // the holder is gone: stale, replaced
    expect(readFileSync(file, 'utf8').trim()).to.equal(String(process.pid));
  });
});

describe('signal handlers', () => {
  it('stops once with the grace, interrupts on a second signal, exits 0', async () => {
    const proc = new EventEmitter();
    const calls: string[] = [];
    let finish!: () => void;
    const exited = new Promise<number>((resolve) => {
      const uninstall = installSignalHandlers({
        proc,
        logger: quietLogger(),
        graceMs: 1234,
        stop: (g) => {
          calls.push(`stop ${g}`);
          return new Promise<void>((r) => (finish = r));
        },
        interruptNow: async () => void calls.push('interrupt'),
        exit: (code) => {
          uninstall();
          resolve(code);
        },
      });
    });
    proc.emit('SIGTERM', 'SIGTERM');
    proc.emit('SIGINT', 'SIGINT');
    await new Promise((r) => setImmediate(r));
    expect(calls).to.deep.equal(['stop 1234', 'interrupt']);
    finish();
    expect(await exited).to.equal(0);
    expect(proc.listenerCount('SIGTERM')).to.equal(0);
  });

  it('exits 1 when stopping fails, and logs a failed or missing reload', async () => {
    const proc = new EventEmitter();
    const logger = quietLogger();
    const code = await new Promise<number>((resolve) => {
      installSignalHandlers({
        proc,
        logger,
        graceMs: 0,
        stop: () => Promise.reject(new Error('boom')),
        exit: resolve,
      });
      proc.emit('SIGHUP', 'SIGHUP');
      proc.emit('SIGTERM', 'SIGTERM');
    });
    expect(code).to.equal(1);
    expect(logger.lines).to.include('SIGHUP: no tasks file configured; nothing to reload');
    expect(logger.lines).to.include('error while stopping');
  });
});
