// `taskr serve` as a real child process: SIGTERM/SIGINT stop it gracefully (a running Shell
// action finishes within the grace, or is interrupted after it) with exit code 0; SIGHUP
// re-applies the tasks file; the pid file is written and removed.
import { expect } from 'chai';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../../src/store/openStore.js';
import { spawnDaemon, tmpDir, waitFor, type ChildDaemon } from './daemonHarness.js';

interface RunBody {
  id: number;
  status: string;
}

function tasksFile(dir: string, tasks: object[]): string {
  const file = join(dir, 'tasks.json');
  writeFileSync(file, JSON.stringify(tasks));
  return file;
}

const shellTask = (name: string, command: string, memo = '') => ({
  name,
  memo,
  schedule_method: 'every',
  schedule_when: '1h',
  action: { action_class_name: 'Shell', command },
});

async function startRun(d: ChildDaemon, taskId: number): Promise<number> {
  const res = await d.request(`/tasks/${taskId}/run.json`, { method: 'POST' });
  expect(res.status).to.equal(201);
  const run = (await res.json()) as RunBody;
  await waitFor('the run to be running', async () => {
    const r = await d.request(`/runs/${run.id}.json`);
    return ((await r.json()) as RunBody).status === 'running';
  });
  return run.id;
}

async function storedRun(databaseUrl: string, id: number) {
  const store = await openStore(databaseUrl, { migrate: false });
  try {
    return await store.runs.get(id);
  } finally {
    await store.close();
  }
}

describe('taskr serve: signals and pid file (child process)', function () {
  this.timeout(40_000);
  let d: ChildDaemon | null = null;
  afterEach(async () => {
    if (d && d.child.exitCode === null && d.child.signalCode === null) {
      d.child.kill('SIGKILL');
      await d.exited;
    }
    d = null;
  });

  it('SIGTERM: a running Shell action finishes within the grace, exit 0, pid file removed', async () => {
    const dir = tmpDir();
    const pidFile = join(dir, 'run', 'taskr.pid');
    const file = tasksFile(dir, [shellTask('slow', 'sleep 1.5; echo finished')]);
    d = await spawnDaemon(
      ['--tasks', file, '--pid-file', pidFile],
      { TASKR_SHUTDOWN_GRACE_MS: '15000' },
      dir,
    );
    expect(readFileSync(pidFile, 'utf8').trim()).to.equal(String(d.child.pid));
    const runId = await startRun(d, 1);
    d.child.kill('SIGTERM');
    const { code } = await d.exited;
    expect(code).to.equal(0);
    expect(existsSync(pidFile)).to.equal(false);
    const run = await storedRun(d.databaseUrl, runId);
    expect(run!.status).to.equal('succeeded');
    expect(run!.results[0]!.output).to.contain('finished');
    expect(d.stdout()).to.match(
      /SIGTERM: stopping; no new runs; waiting up to 15000 ms for 1 running run/,
    );
    expect(d.stdout()).to.contain('"msg":"stopped"');
  });

  it('SIGTERM: a run still going when the grace ends becomes interrupted, exit 0', async () => {
    const dir = tmpDir();
    const file = tasksFile(dir, [shellTask('endless', 'sleep 30')]);
    d = await spawnDaemon(['--tasks', file, '--shutdown-grace-ms', '300'], {}, dir);
    const runId = await startRun(d, 1);
    d.child.kill('SIGTERM');
    const { code } = await d.exited;
    expect(code).to.equal(0);
    const run = await storedRun(d.databaseUrl, runId);
    expect(run!.status).to.equal('interrupted');
    expect(run!.finishedAt).to.not.equal(null);
    expect(run!.error).to.match(/interrupted/);
  });

  it('SIGHUP re-applies the tasks file (a bad file changes nothing); SIGINT stops with exit 0', async () => {
    const dir = tmpDir();
    const file = tasksFile(dir, [shellTask('a', 'true', 'v1')]);
    d = await spawnDaemon(['--tasks', file], {}, dir);
    const child = d;
    const tasks = async () =>
      (await (await child.request('/tasks.json')).json()) as { name: string; memo: string }[];
    expect((await tasks()).map((t) => [t.name, t.memo])).to.deep.equal([['a', 'v1']]);

    tasksFile(dir, [shellTask('a', 'true', 'v2'), shellTask('b', 'true')]);
    child.child.kill('SIGHUP');
    const after = await waitFor('the reload', async () => {
      const list = await tasks();
      return list.length === 2 ? list : null;
    });
    expect(after.map((t) => [t.name, t.memo])).to.deep.equal([
      ['a', 'v2'],
      ['b', null],
    ]);
    await waitFor('the reload log line', async () =>
      /SIGHUP: tasks file .* applied: 1 created, 1 updated/.test(child.stdout()),
    );

    writeFileSync(file, '[{"name": "c", "schedule_method": "every", "schedule_when": "5x"}]');
    child.child.kill('SIGHUP');
    await waitFor('the refusal log line', async () =>
      /SIGHUP: tasks file not applied/.test(child.stdout()),
    );
    expect((await tasks()).map((t) => t.name)).to.deep.equal(['a', 'b']);

    child.child.kill('SIGINT');
    expect((await child.exited).code).to.equal(0);
  });
});
