// Every client command against a live daemon (in-process, real clock, SQLite, credentials),
// asserting the output and the exit code; `--json` output parses.
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ADMIN, startTestDaemon, tmpDir, waitFor, type TestDaemon } from '../ops/daemonHarness.js';
import { cli, type CliResult } from './cliHarness.js';

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe('taskr client commands (live daemon)', function () {
  this.timeout(20_000);
  let t: TestDaemon;
  let helloId: number;
  let failId: number;
  const client = (...args: string[]): Promise<CliResult> =>
    cli([...args, '--url', t.url, '--user', ADMIN.username, '--password', ADMIN.password]);

  before(async () => {
    t = await startTestDaemon();
  });
  after(() => t.stop());

  it('tasks add: from flags, printing the new id', async () => {
    const r = await client(
      'tasks',
      'add',
      '--name',
      'hello',
      '--method',
      'every',
      '--when',
      '1h',
      '--action-class',
      'Shell',
      '--param',
      'command=echo hi from the cli',
      '--memo',
      'm1',
    );
    expect(r.err).to.equal('');
    expect(r.code).to.equal(0);
    const m = /^created task (\d+) \(hello\); next run \d{4}-/.exec(r.out);
    expect(m, r.out).to.not.equal(null);
    helloId = Number(m![1]);
  });

  it('tasks add --json FILE: reads the task from a JSON file and prints JSON', async () => {
    const file = join(tmpDir('taskr-cli-'), 'task.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'fails',
        schedule_method: 'cron',
        schedule_when: '0 3 * * *',
        actions: [{ action_class_name: 'Shell', command: 'echo oops >&2; exit 3' }],
      }),
    );
    const r = await client('tasks', 'add', '--json', file);
    expect(r.code).to.equal(0);
    const task = JSON.parse(r.out) as { id: number; name: string; schedule_method: string };
    expect(task).to.include({ name: 'fails', schedule_method: 'cron' });
    failId = task.id;
  });

  it("tasks add: the server's validation message and exit 1; bad flags exit 2", async () => {
    const bad = await client(
      'tasks',
      'add',
      '--name',
      'bad',
      '--method',
      'every',
      '--when',
      '5x',
      '--action-class',
      'Shell',
      '--param',
      'command=true',
    );
    expect(bad.code).to.equal(1);
    expect(bad.err).to.match(
      /^taskr: POST \/tasks: HTTP 422: Schedule when '5x' for every: unknown unit 'x'/,
    );
    const taken = await client(
      'tasks',
      'add',
      '--name',
      'hello',
      '--method',
      'every',
      '--when',
      '1h',
      '--action-class',
      'Log',
      '--param',
      'message=x',
    );
    expect(taken.code).to.equal(1);
    expect(taken.err).to.match(/has already been taken/);
    const noEquals = await client(
      'tasks',
      'add',
      '--name',
      'x',
      '--action-class',
      'Shell',
      '--param',
      'command',
    );
    expect(noEquals.code).to.equal(2);
    expect(noEquals.err).to.contain("--param 'command' must look like NAME=VALUE");
    const unknownFlag = await client('tasks', 'add', '--nme', 'x');
    expect(unknownFlag.code).to.equal(2);
    expect(unknownFlag.err).to.match(/unknown option '--nme'/);
  });

  it('tasks list: a table, or JSON with --json', async () => {
    const r = await client('tasks', 'list');
    expect(r.code).to.equal(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).to.match(/^ID\s+NAME\s+SCHEDULE\s+STATE\s+NEXT RUN\s+LAST TRIGGERED$/);
    expect(lines[1]).to.match(
      new RegExp(`^${helloId}\\s+hello\\s+every 1h\\s+scheduled\\s+\\d{4}-`),
    );
    expect(lines[2]).to.match(/fails\s+cron 0 3 \* \* \*\s+scheduled/);
    const json = JSON.parse((await client('tasks', 'list', '--json')).out) as { name: string }[];
    expect(json.map((x) => x.name)).to.deep.equal(['hello', 'fails']);
    const searched = JSON.parse(
      (await client('tasks', 'list', '--json', '--search', 'fai')).out,
    ) as unknown[];
    expect(searched).to.have.length(1);
  });

  it('tasks show: by id or exact name, with the actions', async () => {
    const byId = await client('tasks', 'show', String(helloId));
    expect(byId.code).to.equal(0);
    expect(byId.out).to.match(/^id:\s+\d+\nname:\s+hello\nmemo:\s+m1\n/);
    expect(byId.out).to.contain('#0 Shell command="echo hi from the cli"');
    const byName = await client('tasks', 'show', 'hello', '--json');
    expect((JSON.parse(byName.out) as { id: number }).id).to.equal(helloId);
    const missing = await client('tasks', 'show', 'no-such-task');
    expect(missing.code).to.equal(1);
    expect(missing.err).to.contain("no task named 'no-such-task'");
  });

  it('tasks run --wait: prints the finished run; exit 1 when the run failed', async () => {
    const ok = await client('tasks', 'run', 'hello', '--wait');
    expect(ok.code).to.equal(0);
    expect(ok.out).to.match(/status:\s+succeeded/);
    expect(ok.out).to.contain('--- action #0 Shell: succeeded exit 0\nhi from the cli');
    const bad = await client('tasks', 'run', String(failId), '--wait', '--json');
    expect(bad.code).to.equal(1);
    expect((JSON.parse(bad.out) as { status: string }).status).to.equal('failed');
    expect(bad.err).to.match(/^taskr: run \d+ failed/);
    const started = await client('tasks', 'run', 'hello');
    expect(started.out).to.match(new RegExp(`^started run \\d+ of task ${helloId}\\n$`));
    await t.daemon.scheduler.idle();
  });

  it('tasks pause and resume', async () => {
    const p = await client('tasks', 'pause', 'hello');
    expect(p.code).to.equal(0);
    expect(p.out).to.match(/^task \d+ \(hello\) paused; state paused; next run -\n$/);
    const r = await client('tasks', 'resume', 'hello', '--json');
    expect((JSON.parse(r.out) as { state: string }).state).to.equal('scheduled');
  });

  it('runs list (all tasks or one) and runs show', async () => {
    const all = await client('runs', 'list');
    expect(all.code).to.equal(0);
    const rows = all.out.trimEnd().split('\n');
    expect(rows[0]).to.match(
      /^ID\s+TASK\s+STATUS\s+TRIGGER\s+SCHEDULED FOR\s+STARTED\s+DURATION\s+ERROR$/,
    );
    expect(rows).to.have.length(4); // header + 3 runs, newest first
    expect(rows[1]).to.match(/^3\s+\d+\s+succeeded\s+manual/);
    expect(rows[2]).to.match(/^2\s+\d+\s+failed\s+manual .*exit/);
    const one = JSON.parse((await client('runs', 'list', '--task', 'fails', '--json')).out) as {
      id: number;
      status: string;
    }[];
    expect(one.map((r) => [r.id, r.status])).to.deep.equal([[2, 'failed']]);
    const show = await client('runs', 'show', '2');
    expect(show.code).to.equal(0);
    expect(show.out).to.match(/status:\s+failed/);
    expect(show.out).to.contain('oops');
    const missing = await client('runs', 'show', '999');
    expect(missing.code).to.equal(1);
    expect(missing.err).to.match(/HTTP 404: Run 999 not found/);
    expect((await client('runs', 'show', 'x')).code).to.equal(2);
  });

  it('logs TASK: the recent entries oldest first; --level filters', async () => {
    const r = await client('logs', 'hello');
    expect(r.code).to.equal(0);
    const lines = r.out.trimEnd().split('\n');
    expect(
      lines.some((l) => /^\d{4}-\d\d-\d\d \S+Z INFO {2}\[run \d+\] hi from the cli$/.test(l)),
      r.out,
    ).to.equal(true);
    const errors = await client('logs', 'fails', '--level', 'warn', '--json');
    const entries = errors.out
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { level: string });
    expect(entries.length).to.be.greaterThan(0);
    expect(entries.every((e) => e.level === 'WARN' || e.level === 'ERROR')).to.equal(true);
    const badLevel = await client('logs', 'hello', '--level', 'loud');
    expect(badLevel.code).to.equal(2);
  });

  it('tasks rm: deletes; the task is gone afterwards', async () => {
    const r = await client('tasks', 'rm', 'fails');
    expect(r.code).to.equal(0);
    expect(r.out).to.equal(`deleted task ${failId}\n`);
    const again = await client('tasks', 'show', String(failId));
    expect(again.code).to.equal(1);
    expect(again.err).to.match(new RegExp(`HTTP 404: Task ${failId} not found`));
  });

  it('wrong credentials or no daemon: exit 1 with the reason', async () => {
    const denied = await cli([
      'tasks',
      'list',
      '--url',
      t.url,
      '--user',
      'admin',
      '--password',
      'wrong',
    ]);
    expect(denied.code).to.equal(1);
    expect(denied.err).to.match(/HTTP 401: .*give --user\/--password or --token/);
    const port = await closedPort();
    const down = await cli([
      'tasks',
      'list',
      '--url',
      `http://127.0.0.1:${port}`,
      '--user',
      'a',
      '--password',
      'b',
    ]);
    expect(down.code).to.equal(1);
    expect(down.err).to.contain(`cannot reach http://127.0.0.1:${port}: ECONNREFUSED`);
  });

  it('waits for the daemon to be idle', async () => {
    await waitFor('idle', async () => t.daemon.scheduler.status().runsInProgress === 0);
  });
});
