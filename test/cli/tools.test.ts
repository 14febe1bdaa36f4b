// The local tools (schedule preview, config check) and the real `taskr` binary: exit codes,
// credentials from the environment, and `logs --follow` until SIGINT.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN, startTestDaemon, tmpDir, waitFor, type TestDaemon } from '../ops/daemonHarness.js';
import { cli, cliProcess } from './cliHarness.js';

describe('taskr schedule preview and config check', () => {
  it('schedule preview prints the description and the next fire times', async () => {
    const r = await cli([
      'schedule',
      'preview',
      'cron',
      '0 3 * * *',
      '-z',
      'Europe/Paris',
      '-n',
      '3',
    ]);
    expect(r.code).to.equal(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).to.match(/03:00.*\[Europe\/Paris\]$/);
    expect(lines.slice(1)).to.have.length(3);
    for (const l of lines.slice(1))
      expect(l).to.match(
        /^ {2}\d{4}-\d\d-\d\dT0[12]:00:00\.000Z {2}\(\w{3} \d{4}-\d\d-\d\d 03:00:00 Europe\/Paris\)$/,
      );
    const bad = await cli(['schedule', 'preview', 'every', '5x']);
    expect(bad.code).to.equal(2);
    expect(bad.err).to.match(/^taskr: .*'5x'/);
  });

  it('config check prints the resolved config with secrets masked', async () => {
    const file = join(tmpDir('taskr-cli-'), 'taskr.yaml');
    writeFileSync(
      file,
      'port: 8123\nauth:\n  username: ops\n  password: hunter2-hunter2\ndatabaseUrl: postgres://u:dbsecret@h/db\n',
    );
    const r = await cli(['config', 'check', file]);
    expect(r.code).to.equal(0);
    const shown = JSON.parse(r.out) as {
      port: number;
      shutdownGraceMs: number;
      auth: { password: string };
      databaseUrl: string;
    };
    expect(shown.port).to.equal(8123);
    expect(shown.shutdownGraceMs).to.equal(30_000);
    expect(shown.auth.password).to.equal('***');
    expect(shown.databaseUrl).to.equal('postgres://u:***@h/db');
    expect(r.out).to.not.contain('hunter2');
    expect(r.out).to.not.contain('dbsecret');
    expect(r.err).to.equal('config OK\n');
  });

  it('config check of a bad file: exit 2 (real binary), naming the key and the file', async () => {
    const file = join(tmpDir('taskr-cli-'), 'bad.yaml');
    writeFileSync(file, 'port: seventy\nshutdownGraceMs: -1\n');
    const r = await cliProcess(['config', 'check', file]);
    expect(r.code).to.equal(2);
    expect(r.out).to.equal('');
    expect(r.err).to.match(
      /^taskr: config: port: .*; shutdownGraceMs: .*\(file .*bad\.yaml\) \[config\.invalid\]\n$/,
    );
  });
});

describe('the taskr binary against a live daemon', function () {
  this.timeout(30_000);
  let t: TestDaemon;
  before(async () => {
    t = await startTestDaemon();
    await t.json(
      'POST',
      '/tasks.json',
      {
        name: 'echo',
        schedule_method: 'every',
        schedule_when: '1h',
        actions: [{ action_class_name: 'Shell', command: 'echo line-$$' }],
      },
      201,
    );
  });
  after(() => t.stop());
  const env = () => ({
    TASKR_URL: t.url,
    TASKR_USERNAME: ADMIN.username,
    TASKR_PASSWORD: ADMIN.password,
  });

  it('takes the URL and credentials from TASKR_* and exits 0 / 1', async () => {
    const ok = await cliProcess(['tasks', 'list', '--json'], env());
    expect(ok.code, ok.err).to.equal(0);
    expect((JSON.parse(ok.out) as { name: string }[]).map((x) => x.name)).to.deep.equal(['echo']);
    const missing = await cliProcess(['tasks', 'show', '99999'], env());
    expect(missing.code).to.equal(1);
    expect(missing.err).to.equal('taskr: GET /tasks/99999: HTTP 404: Task 99999 not found\n');
  });

  it('logs --follow prints new entries as they come, until SIGINT (exit 0)', async () => {
    const child = spawn(
      process.execPath,
      ['bin/taskr.js', 'logs', 'echo', '--follow', '--interval', '200'],
      {
        env: { ...process.env, TASKR_CONFIG: '', ...env() },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      await new Promise((r) => setTimeout(r, 300));
      for (let i = 0; i < 2; i++) {
        const run = await t.json<{ id: number }>('POST', '/tasks/1/run.json', undefined, 201);
        await waitFor(
          `run ${run.id} in the followed log`,
          async () => out.includes(`[run ${run.id}] line-`),
          20_000,
        );
      }
      child.kill('SIGINT');
      expect(await exited).to.equal(0);
      expect(out.match(/INFO {2}\[run \d+\] line-\d+/g), out).to.have.length(2);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
