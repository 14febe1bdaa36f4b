import { expect } from 'chai';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import shell from '../../actions/shell.js';
import { actionContext, runType } from '../helpers/actionContext.js';
import { processAlive, waitFor } from './waitFor.js';

describe('Shell action', () => {
  it('runs a command and streams stdout lines', async () => {
    const ctx = actionContext();
    const out = await runType(shell, { command: 'echo one; printf "two\\nthree"' }, ctx);
    expect(out).to.deep.include({ ok: true, exitCode: 0 });
    expect(ctx.stdout).to.deep.equal(['one', 'two', 'three']);
  });

  it('fails with the exit code', async () => {
    const ctx = actionContext();
    const out = await runType(shell, { command: 'echo before; exit 3' }, ctx);
    expect(out).to.deep.equal({ ok: false, exitCode: 3, error: 'exit code 3' });
    expect(ctx.stdout).to.deep.equal(['before']);
  });

  it('streams stdout and stderr lines in order, each on its stream', async () => {
    const ctx = actionContext();
    const cmd =
      'echo out1; sleep 0.05; echo err1 >&2; sleep 0.05; echo out2; sleep 0.05; echo err2 >&2';
    const out = await runType(shell, { command: cmd }, ctx);
    expect(out.ok).to.equal(true);
    expect(ctx.lines).to.deep.equal([
      { line: 'out1', stream: 'stdout' },
      { line: 'err1', stream: 'stderr' },
      { line: 'out2', stream: 'stdout' },
      { line: 'err2', stream: 'stderr' },
    ]);
  });

  it('decodes UTF-8 split across writes', async () => {
    const ctx = actionContext();
    // "é" is 0xC3 0xA9: written in two separate writes with a pause between them.
    const out = await runType(
      shell,
      { command: "printf 'caf\\303'; sleep 0.05; printf '\\251\\n'" },
      ctx,
    );
    expect(out.ok).to.equal(true);
    expect(ctx.stdout).to.deep.equal(['café']);
  });

  it('kills the whole process tree on timeout', async () => {
    const ctx = actionContext();
    const cmd = 'sleep 30 & echo $!; sleep 30; wait';
    const running = runType(shell, { command: cmd }, ctx);
    await waitFor(() => ctx.stdout.length > 0, 5000, 'the grandchild pid');
    const grandchild = Number(ctx.stdout[0]);
    expect(processAlive(grandchild)).to.equal(true);
    ctx.controller.abort('timeout');
    const out = await running;
    expect(out.ok).to.equal(false);
    expect(out.error).to.match(/^timed out/);
    await waitFor(() => !processAlive(grandchild), 3000, 'the grandchild to die');
    expect(processAlive(grandchild)).to.equal(false);
  });

  it('reports a cancel as cancelled', async () => {
    const ctx = actionContext();
    const running = runType(shell, { command: 'echo started; sleep 30' }, ctx);
    await waitFor(() => ctx.stdout.length > 0);
    ctx.controller.abort('cancel');
    const out = await running;
    expect(out.error).to.match(/^cancelled/);
  });

  it('SIGKILLs a command that ignores SIGTERM', async () => {
    const ctx = actionContext();
    const running = runType(
      shell,
      { command: "trap '' TERM; echo ready; while :; do sleep 0.05; done" },
      ctx,
    );
    await waitFor(() => ctx.stdout.length > 0);
    ctx.controller.abort('cancel');
    const out = await running;
    expect(out.ok).to.equal(false);
    expect(out.error).to.match(/^cancelled/);
  });

  it('runs in cwd with extra env', async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'taskr-shell-')));
    try {
      const ctx = actionContext();
      const out = await runType(
        shell,
        { command: 'pwd; echo "$GREETING"', cwd: dir, env: '{"GREETING":"hello there"}' },
        ctx,
      );
      expect(out.ok).to.equal(true);
      expect(ctx.stdout).to.deep.equal([dir, 'hello there']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails clearly when cwd does not exist', async () => {
    const ctx = actionContext();
    const out = await runType(shell, { command: 'true', cwd: '/nonexistent/taskr' }, ctx);
    expect(out).to.deep.include({ ok: false, error: "cwd '/nonexistent/taskr' does not exist" });
  });

  it('does not pass the daemon secrets to the command', async () => {
    const ctx = actionContext();
    process.env.TASKR_API_TOKEN = 'sekrit';
    try {
      await runType(shell, { command: 'echo "token=${TASKR_API_TOKEN:-none}"' }, ctx);
    } finally {
      delete process.env.TASKR_API_TOKEN;
    }
    expect(ctx.stdout).to.deep.equal(['token=none']);
  });

  it('resolves ${env:NAME} at run time, and fails naming a missing variable', async () => {
    const ctx = actionContext({ env: { WHO: 'world' } });
    const out = await runType(shell, { command: 'echo hello ${env:WHO}' }, ctx);
    expect(out.ok).to.equal(true);
    expect(ctx.stdout).to.deep.equal(['hello world']);
    const missing = shell.validate({ command: 'echo ${env:NOPE_TASKR}' }, ctx.config);
    expect(missing.ok).to.equal(true); // stored unresolved
    if (!missing.ok) return;
    expect(missing.params.command).to.equal('echo ${env:NOPE_TASKR}');
    let err: Error | undefined;
    await shell.run(missing.params, actionContext({ env: {} })).catch((e: Error) => (err = e));
    expect(err?.message).to.include('NOPE_TASKR');
  });

  it('runs as another user when the daemon is root', async function () {
    if (process.getuid?.() !== 0) this.skip(); // the brief's environment runs tests as root
    const ctx = actionContext();
    const out = await runType(
      shell,
      { command: 'id -un; echo "$HOME"', as_user: 'nobody', cwd: '/' },
      ctx,
    );
    expect(out.ok).to.equal(true);
    expect(ctx.stdout[0]).to.equal('nobody');
  });

  it('rejects an unknown as_user clearly', async () => {
    const ctx = actionContext();
    const out = await runType(shell, { command: 'true', as_user: 'no_such_user_taskr' }, ctx);
    expect(out.ok).to.equal(false);
    expect(out.error).to.match(/as_user 'no_such_user_taskr'/);
  });

  it('validates: blank command, relative cwd, bad env', () => {
    const r = shell.validate({ command: ' ', cwd: 'rel/dir', env: '[1]' }, actionContext().config);
    expect(r.ok).to.equal(false);
    if (r.ok) return;
    expect(r.errors).to.deep.include({ param: 'command', message: "can't be blank" });
    expect(r.errors.map((e) => e.param)).to.include('env');
    const r2 = shell.validate({ command: 'x', cwd: 'rel/dir' }, actionContext().config);
    expect(r2).to.deep.equal({
      ok: false,
      errors: [{ param: 'cwd', message: "must be an absolute path, got 'rel/dir'" }],
    });
  });
});
