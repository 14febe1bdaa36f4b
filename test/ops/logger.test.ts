// The daemon log: JSON lines with levels, or a readable line per record on a terminal.
import { expect } from 'chai';
import { createLogger } from '../../src/log/logger.js';
import { formatLine } from '../../src/log/prettyStream.js';

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  return {
    chunks,
    isTTY,
    write: (s: string) => chunks.push(s) > 0,
  } as unknown as NodeJS.WritableStream & {
    chunks: string[];
  };
}

describe('daemon logger', () => {
  it('writes JSON lines with level names and honours the level (not a TTY)', () => {
    const out = sink(false);
    const log = createLogger({ level: 'info', destination: out });
    log.debug('hidden');
    log.warn({ runId: 7 }, 'slow run');
    expect(out.chunks).to.have.length(1);
    const rec = JSON.parse(out.chunks[0]!) as Record<string, unknown>;
    expect(rec).to.include({ level: 'warn', msg: 'slow run', runId: 7, service: 'taskr' });
    expect(rec.time).to.match(/^\d{4}-\d\d-\d\dT/);
  });

  it('is human-readable on a TTY (auto), with the level coloured', () => {
    const out = sink(true);
    createLogger({ level: 'info', destination: out }).info({ url: 'http://x:1' }, 'listening');
    const ESC = String.fromCharCode(27);
    expect(out.chunks[0]).to.contain(` ${ESC}[32mINFO ${ESC}[0m listening url=http://x:1\n`);
    expect(out.chunks[0]).to.match(/^\d{4}-\d\d-\d\dT/);
  });

  it('can be forced to JSON on a TTY or to text in a pipe', () => {
    const tty = sink(true);
    createLogger({ level: 'info', destination: tty, format: 'json' }).info('x');
    expect(() => JSON.parse(tty.chunks[0]!)).to.not.throw();
    const pipe = sink(false);
    createLogger({ level: 'info', destination: pipe, format: 'pretty' }).error(
      { err: new Error('bad') },
      'failed',
    );
    expect(pipe.chunks[0]).to.match(/ ERROR failed err=".*bad/);
  });

  it('formats lines that are not JSON unchanged and quotes values with spaces', () => {
    expect(formatLine('plain text', false)).to.equal('plain text');
    expect(formatLine('{"level":"info","time":"T","msg":"m","a":"b c","n":1}', false)).to.equal(
      'T INFO  m a="b c" n=1',
    );
  });
});
