import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import script from '../../actions/script.js';
import ruby from '../../actions/ruby.js';
import { actionContext, runType } from '../helpers/actionContext.js';
import { waitFor } from './waitFor.js';

describe('Script action', () => {
  it('runs node code by default, from a 0600 temp file that is removed afterwards', async () => {
    const ctx = actionContext();
    const code = [
      "import { statSync } from 'node:fs';",
      'console.log(process.argv[1]);',
      'console.log((statSync(process.argv[1]).mode & 0o777).toString(8));',
      "console.error('to stderr');",
    ].join('\n');
    const out = await runType(script, { code }, ctx);
    expect(out).to.deep.include({ ok: true, exitCode: 0 });
    const [file, mode] = ctx.stdout;
    expect(mode).to.equal('600');
    expect(ctx.stderr).to.deep.equal(['to stderr']);
    expect(existsSync(file!)).to.equal(false);
    expect(existsSync(dirname(file!))).to.equal(false);
  });

  it('runs bash and reports its exit code', async () => {
    const ctx = actionContext();
    const out = await runType(
      script,
      { interpreter: 'bash', code: 'echo "$BASH_VERSION" | cut -c1-1\necho "$0"\nexit 4' },
      ctx,
    );
    expect(out).to.deep.equal({ ok: false, exitCode: 4, error: 'exit code 4' });
    expect(ctx.stdout[0]).to.match(/^\d$/);
    expect(existsSync(ctx.stdout[1]!)).to.equal(false);
  });

  it('runs python3', async () => {
    const ctx = actionContext();
    const out = await runType(
      script,
      { interpreter: 'python3', code: 'import sys\nprint(sum([1, 2, 3]))\nprint(__file__)' },
      ctx,
    );
    expect(out.ok).to.equal(true);
    expect(ctx.stdout[0]).to.equal('6');
    expect(existsSync(ctx.stdout[1]!)).to.equal(false);
  });

  it('removes the temp file when the run is aborted', async () => {
    const ctx = actionContext();
    const running = runType(script, { interpreter: 'sh', code: 'echo "$0"; sleep 30' }, ctx);
    await waitFor(() => ctx.stdout.length > 0);
    const file = ctx.stdout[0]!;
    expect(existsSync(file)).to.equal(true);
    ctx.controller.abort('timeout');
    const out = await running;
    expect(out.error).to.match(/^timed out/);
    expect(existsSync(file)).to.equal(false);
  });

  it('fails clearly when the interpreter is missing', async () => {
    const ctx = actionContext();
    const out = await runType(script, { interpreter: 'no-such-interpreter-taskr', code: 'x' }, ctx);
    expect(out.ok).to.equal(false);
    expect(out.error).to.equal(
      "cannot start 'no-such-interpreter-taskr': not found (is it installed and on PATH?)",
    );
  });

  it('validates the interpreter name', () => {
    const r = script.validate({ code: 'x', interpreter: 'bash; rm -rf /' }, actionContext().config);
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.errors[0]!.param).to.equal('interpreter');
  });

  it('Ruby takes code and runs it with ruby (Taskr compatibility)', async () => {
    const v = ruby.validate({ code: 'puts 1 + 1' }, actionContext().config);
    expect(v).to.deep.equal({ ok: true, params: { code: 'puts 1 + 1' } });
    const ctx = actionContext();
    const out = await runType(ruby, { code: 'puts 1 + 1' }, ctx);
    if (out.ok) expect(ctx.stdout).to.deep.equal(['2']);
    // Without ruby on the host the failure names the interpreter.
    else expect(out.error).to.match(/^cannot start 'ruby': not found/);
  });
});
