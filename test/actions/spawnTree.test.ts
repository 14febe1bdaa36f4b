import { expect } from 'chai';
import { LineSplitter } from '../../src/process/lineSplitter.js';
import { spawnTree } from '../../src/process/spawnTree.js';
import { processAlive } from './waitFor.js';

describe('spawnTree', () => {
  it('resolves with the exit code and streams lines per stream', async () => {
    const lines: string[] = [];
    const r = await spawnTree({
      file: '/bin/sh',
      args: ['-c', 'echo a; echo b >&2; exit 7'],
      onLine: (l, s) => lines.push(`${s}:${l}`),
    });
    expect(r).to.deep.include({ exitCode: 7, signal: null, aborted: null });
    expect(lines.sort()).to.deep.equal(['stderr:b', 'stdout:a']);
  });

  it('does not wait for a background process that keeps the pipe open (drain grace)', async () => {
    const lines: string[] = [];
    const r = await spawnTree({
      file: '/bin/sh',
      args: ['-c', 'sleep 3 & echo $!'],
      drainMs: 100,
      onLine: (l) => lines.push(l),
    });
    expect(r.exitCode).to.equal(0);
    expect(lines).to.have.length(1);
    expect(processAlive(Number(lines[0]))).to.equal(true); // left running: only aborts kill the group
    process.kill(Number(lines[0]), 'SIGKILL');
  });

  it('reports timeout vs cancel from the abort reason, and an already aborted signal spawns nothing', async () => {
    const c = new AbortController();
    c.abort('cancel');
    expect(
      await spawnTree({ file: '/bin/sh', args: ['-c', 'exit 0'], signal: c.signal }),
    ).to.deep.equal({
      pid: 0,
      exitCode: null,
      signal: null,
      aborted: 'cancel',
    });
    const t = new AbortController();
    setTimeout(() => t.abort(new DOMException('late', 'TimeoutError')), 50);
    const r = await spawnTree({ file: '/bin/sh', args: ['-c', 'sleep 10'], signal: t.signal });
    expect(r.aborted).to.equal('timeout');
    expect(r.signal).to.equal('SIGTERM');
  });

  it('rejects a missing program clearly', async () => {
    let err: Error | undefined;
    await spawnTree({ file: '/no/such/program', args: [] }).catch((e: Error) => (err = e));
    expect(err?.message).to.equal(
      "cannot start '/no/such/program': not found (is it installed and on PATH?)",
    );
  });

  it('LineSplitter holds partial lines, strips CR, splits overlong lines and flushes the last one', () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l), 4);
    s.push(Buffer.from('ab'));
    s.push(Buffer.from('c\r\nabcdefgh'));
    s.push(Buffer.from([0xe2, 0x82]));
    s.push(Buffer.from([0xac]));
    s.end();
    expect(lines).to.deep.equal(['abc', 'abcd', 'efgh', '€']);
  });
});
