import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fileCopy from '../../actions/fileCopy.js';
import fileRead from '../../actions/fileRead.js';
import systemCheck from '../../actions/systemCheck.js';
import log from '../../actions/log.js';
import { actionContext, runType, testConfig } from '../helpers/actionContext.js';

describe('FileCopy, FileRead, SystemCheck and Log actions', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'taskr-files-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('FileCopy copies, refuses to overwrite unless asked, and copies into a folder', async () => {
    const src = join(dir, 'a.txt');
    const dest = join(dir, 'b.txt');
    writeFileSync(src, 'v1');
    const ctx = actionContext();
    expect(await runType(fileCopy, { source: src, destination: dest }, ctx)).to.deep.equal({
      ok: true,
    });
    expect(readFileSync(dest, 'utf8')).to.equal('v1');
    expect(ctx.stdout).to.deep.equal([`copied ${src} to ${dest} (2 bytes)`]);
    writeFileSync(src, 'v2');
    const refused = await runType(fileCopy, { source: src, destination: dest }, actionContext());
    expect(refused).to.deep.equal({
      ok: false,
      error: `destination '${dest}' exists; set overwrite to true to replace it`,
    });
    expect(readFileSync(dest, 'utf8')).to.equal('v1');
    await runType(fileCopy, { source: src, destination: dest, overwrite: 'true' }, actionContext());
    expect(readFileSync(dest, 'utf8')).to.equal('v2');
    mkdirSync(join(dir, 'sub'));
    await runType(fileCopy, { source: src, destination: join(dir, 'sub') }, actionContext());
    expect(readFileSync(join(dir, 'sub', 'a.txt'), 'utf8')).to.equal('v2');
    const missing = await runType(
      fileCopy,
      { source: join(dir, 'nope'), destination: dest },
      actionContext(),
    );
    expect(missing.error).to.equal(`source '${join(dir, 'nope')}' does not exist`);
  });

  it('FileRead sends every line, or the last N with tail', async () => {
    const file = join(dir, 'log.txt');
    writeFileSync(file, 'one\ntwo\r\nthree\nfour');
    const all = actionContext();
    expect(await runType(fileRead, { path: file }, all)).to.deep.equal({ ok: true });
    expect(all.stdout).to.deep.equal(['one', 'two', 'three', 'four']);
    const tail = actionContext();
    await runType(fileRead, { path: file, tail: '2' }, tail);
    expect(tail.stdout).to.deep.equal(['three', 'four']);
    const missing = await runType(fileRead, { path: join(dir, 'x') }, actionContext());
    expect(missing).to.deep.equal({ ok: false, error: `file '${join(dir, 'x')}' does not exist` });
    const bad = fileRead.validate({ path: 'rel', tail: 0 }, testConfig());
    expect(bad).to.deep.equal({
      ok: false,
      errors: [
        { param: 'path', message: "must be an absolute path, got 'rel'" },
        { param: 'tail', message: 'must be at least 1, got 0' },
      ],
    });
  });

  it('SystemCheck reads a sysctl and compares it with expect', async () => {
    const actual = readFileSync('/proc/sys/kernel/ostype', 'utf8').trim();
    const ctx = actionContext();
    expect(
      await runType(systemCheck, { sysctl: 'kernel.ostype', expect: actual }, ctx),
    ).to.deep.equal({ ok: true });
    expect(ctx.stdout).to.deep.equal([`kernel.ostype = ${actual}`]);
    const failed = await runType(
      systemCheck,
      { sysctl: 'kernel.ostype', expect: 'Plan9' },
      actionContext(),
    );
    expect(failed).to.deep.equal({
      ok: false,
      error: `kernel.ostype: expected 'Plan9', actual '${actual}'`,
    });
  });

  it('SystemCheck checks a file with min/max/matches and the free disk space', async () => {
    const file = join(dir, 'load');
    writeFileSync(file, '0.50 0.40 0.30 1/100 42\n');
    expect(
      await runType(
        systemCheck,
        { path: file, max: '1', min: 0.1, matches: '^0\\.5' },
        actionContext(),
      ),
    ).to.deep.equal({ ok: true });
    const tooHigh = await runType(systemCheck, { path: file, max: '0.25' }, actionContext());
    expect(tooHigh).to.deep.equal({
      ok: false,
      error: `${file}: expected at most 0.25, actual 0.5`,
    });
    const noMatch = await runType(systemCheck, { path: file, matches: '^9' }, actionContext());
    expect(noMatch.error).to.equal(
      `${file}: expected to match /^9/, actual '0.50 0.40 0.30 1/100 42'`,
    );
    const disk = actionContext();
    expect(await runType(systemCheck, { disk_free: dir, min: 1 }, disk)).to.deep.equal({
      ok: true,
    });
    expect(disk.stdout[0]).to.match(new RegExp(`^free bytes on ${dir} = \\d+$`));
    const huge = await runType(systemCheck, { disk_free: dir, min: 1e18 }, actionContext());
    expect(huge.error).to.match(/expected at least 1000000000000000000, actual \d+/);
    const noSuch = await runType(
      systemCheck,
      { sysctl: 'kernel.no_such_setting' },
      actionContext(),
    );
    expect(noSuch).to.deep.equal({
      ok: false,
      error: 'cannot read sysctl kernel.no_such_setting: no such setting or file',
    });
  });

  it('SystemCheck needs exactly one source and a valid regex', () => {
    const none = systemCheck.validate({ expect: '1' }, testConfig());
    expect(none).to.deep.equal({
      ok: false,
      errors: [
        { param: 'sysctl', message: 'or path or disk_free: give exactly one (none was given)' },
      ],
    });
    const bad = systemCheck.validate({ path: '/proc/loadavg', matches: '(' }, testConfig());
    expect(bad.ok).to.equal(false);
    if (!bad.ok) expect(bad.errors[0]!.param).to.equal('matches');
    const evil = systemCheck.validate({ sysctl: '../../etc/passwd' }, testConfig());
    expect(evil.ok).to.equal(false);
  });

  it('Log writes its message and always succeeds', async () => {
    const ctx = actionContext();
    expect(await runType(log, { message: 'hello\nworld' }, ctx)).to.deep.equal({ ok: true });
    expect(ctx.stdout).to.deep.equal(['hello', 'world']);
    const quiet = actionContext();
    expect(await runType(log, {}, quiet)).to.deep.equal({ ok: true });
    expect(quiet.stdout).to.deep.equal([]);
  });
});
