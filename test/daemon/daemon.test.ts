// End to end, real time (briefly): the daemon as a library and as a child process.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config.js';
import { startDaemon, type Daemon } from '../../src/daemon.js';
import { silentLogger } from '../../src/log/logger.js';
import { openStore } from '../../src/store/openStore.js';

async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | null | false>,
  ms = 8000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function dataDir(): string {
  return mkdtempSync(join(tmpdir(), 'taskr-daemon-'));
}

function configFor(dir: string) {
  return loadConfig({
    env: {},
    file: null,
    overrides: {
      port: 0,
      dataDir: dir,
      databaseUrl: `sqlite:${join(dir, 'taskr.sqlite')}`,
      nodeName: 'e2e',
      // Auth off (allowed on the loopback bind): these tests are about scheduling;
      // test/security covers access.
      auth: { enabled: false },
    },
  });
}

describe('daemon (end to end, real time)', function () {
  this.timeout(30_000);
  let daemon: Daemon | null = null;
  afterEach(async () => {
    await daemon?.stop(0);
    daemon = null;
  });

  it('serves the API over a real socket and fires a Shell task on time', async () => {
    const dir = dataDir();
    daemon = await startDaemon({ config: configFor(dir), logger: silentLogger() });
    const res = await fetch(`${daemon.url}/tasks.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'hello',
        schedule_method: 'in',
        schedule_when: '300ms',
        action: { action_class_name: 'Shell', command: 'echo hello from taskr' },
      }),
    });
    expect(res.status).to.equal(201);
    const { id } = (await res.json()) as { id: number };
    const d = daemon;
    const run = await waitFor('a finished run', async () => {
      const { runs } = await d.store.runs.list({ taskId: id });
      return runs.find((r) => r.status === 'succeeded');
    });
    expect(run.results[0]!.output).to.contain('hello from taskr');
    expect(run.startedAt!.getTime() - run.scheduledFor.getTime()).to.be.within(0, 5000);
    const task = await d.tasks.get(id);
    expect(task.nextTriggerAt).to.equal(null); // a fired one-shot is expired
    expect(task.lastTriggered).to.not.equal(null);
  });

  it('keeps tasks and their schedule across a restart', async () => {
    const dir = dataDir();
    daemon = await startDaemon({ config: configFor(dir), logger: silentLogger() });
    const task = await daemon.tasks.create({
      name: 'later',
      scheduleMethod: 'in',
      scheduleWhen: '1h',
      actions: [{ actionClassName: 'Log', parameters: { message: 'x' } }],
    });
    await daemon.stop(0);
    daemon = await startDaemon({ config: configFor(dir), logger: silentLogger() });
    const again = await daemon.tasks.get(task.id);
    expect(again.nextTriggerAt!.toISOString()).to.equal(task.nextTriggerAt!.toISOString());
  });

  it('marks a run left running by a killed daemon as interrupted at the next start', async () => {
    const dir = dataDir();
    const url = `sqlite:${join(dir, 'taskr.sqlite')}`;
    const tasksFile = join(dir, 'tasks.json');
    writeFileSync(
      tasksFile,
      JSON.stringify([
        {
          name: 'long',
          schedule_method: 'in',
          schedule_when: '200ms',
          action: { action_class_name: 'Shell', command: 'sleep 3' },
        },
      ]),
    );
    const child = spawn(process.execPath, ['bin/taskr.js', 'serve', '--tasks', tasksFile], {
      env: {
        ...process.env,
        TASKR_PORT: '0',
        TASKR_DATABASE_URL: url,
        TASKR_DATA_DIR: dir,
        TASKR_LOG_LEVEL: 'warn',
      },
      stdio: 'ignore',
    });
    let runId: number;
    try {
      runId = await waitFor(
        'the child daemon to start the run',
        async () => {
          try {
            const store = await openStore(url, { migrate: false });
            try {
              const { runs } = await store.runs.list({});
              return runs.find((r) => r.status === 'running')?.id;
            } finally {
              await store.close();
            }
          } catch {
            return undefined;
          }
        },
        20_000,
      );
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    daemon = await startDaemon({ config: configFor(dir), logger: silentLogger() });
    // The killed process may have died before writing the one-shot's expiry back; the
    // restarted loop then re-plans it, its claim loses to the recorded run, and it expires.
    await daemon.scheduler.idle();
    const run = await daemon.store.runs.get(runId);
    expect(run!.status).to.equal('interrupted');
    expect(run!.finishedAt).to.not.equal(null);
    const task = await daemon.tasks.get(run!.taskId);
    expect(task.nextTriggerAt).to.equal(null); // the one-shot fired once; it is not fired again
    const { runs } = await daemon.store.runs.list({ taskId: task.id });
    expect(runs).to.have.length(1);
  });
});
