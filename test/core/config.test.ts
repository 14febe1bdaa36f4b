import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, maskedConfig } from '../../src/config/config.js';
import { TaskrError } from '../../src/errors.js';

function tmpFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'taskr-config-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('config', () => {
  it('has Taskr defaults: port 7007, loopback bind, SQLite under ./data', () => {
    const c = loadConfig({ env: {} });
    expect(c.port).to.equal(7007);
    expect(c.bind).to.equal('127.0.0.1');
    expect(c.databaseUrl).to.equal('sqlite:./data/taskr.sqlite');
    expect(c.scheduler.timerCapMs).to.equal(30_000);
    expect(c.defaults.overlap).to.equal('skip');
    expect(c.defaults.misfire).to.equal('skip');
    expect(c.defaults.timeoutMs).to.equal(3_600_000);
    expect(c.runs.outputCapBytes).to.equal(65_536);
  });

  it('takes flags over env over file over defaults', () => {
    const file = tmpFile('c.yaml', 'port: 8001\nbind: 0.0.0.0\nnodeName: from-file\n');
    const env = { TASKR_PORT: '8002', TASKR_NODE_NAME: 'from-env' };
    const c = loadConfig({ env, file, overrides: { port: 8003 } });
    expect(c.port).to.equal(8003);
    expect(c.nodeName).to.equal('from-env');
    expect(c.bind).to.equal('0.0.0.0');
  });

  it('reads the config file named by TASKR_CONFIG and nested sections', () => {
    const file = tmpFile('c.yaml', 'scheduler:\n  timerCapMs: 5000\ndefaults:\n  retries: 3\n');
    const c = loadConfig({ env: { TASKR_CONFIG: file } });
    expect(c.scheduler.timerCapMs).to.equal(5000);
    expect(c.scheduler.misfireThresholdMs).to.equal(60_000);
    expect(c.defaults.retries).to.equal(3);
  });

  it('maps the admin credential variables', () => {
    const c = loadConfig({
      env: { TASKR_USERNAME: 'admin', TASKR_PASSWORD: 'pw', TASKR_API_TOKEN: 'tok' },
    });
    expect(c.auth).to.deep.include({ username: 'admin', password: 'pw', apiToken: 'tok' });
    const masked = maskedConfig(c) as { auth: Record<string, string> };
    expect(masked.auth.password).to.equal('***');
    expect(masked.auth.apiToken).to.equal('***');
  });

  it('rejects a bad value naming the key and the file', () => {
    const file = tmpFile('bad.yaml', 'port: seventy\n');
    expect(() => loadConfig({ env: {}, file })).to.throw(
      TaskrError,
      /port: .*\(file .*bad\.yaml\)/,
    );
    expect(() => loadConfig({ env: { TASKR_PORT: '70000' } })).to.throw(TaskrError, /port/);
  });

  it('rejects unknown keys instead of silently ignoring a typo', () => {
    const file = tmpFile('typo.yaml', 'scheduler:\n  timerCap: 5\n');
    expect(() => loadConfig({ env: {}, file })).to.throw(TaskrError, /scheduler.*timerCap/);
  });

  it('rejects a file that is not YAML, naming the file', () => {
    const file = tmpFile('broken.yaml', 'port: [1, 2\n');
    expect(() => loadConfig({ env: {}, file })).to.throw(TaskrError, /broken\.yaml/);
  });

  it('is frozen all the way down', () => {
    const c = loadConfig({ env: {} });
    expect(Object.isFrozen(c)).to.equal(true);
    expect(Object.isFrozen(c.scheduler)).to.equal(true);
    expect(() => {
      (c.scheduler as { timerCapMs: number }).timerCapMs = 1;
    }).to.throw(TypeError);
  });
});
