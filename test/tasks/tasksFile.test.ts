import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TaskrError } from '../../src/errors.js';
import { applyTasksFile } from '../../src/tasks/tasksFile.js';
import { serviceFixture, type ServiceFixture } from './fixture.js';

function file(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'taskr-tasks-')), name);
  writeFileSync(path, text);
  return path;
}

const YAML = `
tasks:
  - name: nightly-vacuum
    schedule_method: cron
    schedule_when: "30 2 * * *"
    timezone: Europe/Paris
    retries: 2
    timeout: 2h
    actions:
      - action_class_name: Shell
        command: echo vacuum
  - name: prune
    schedule_method: every
    schedule_when: 1d
    action:
      action_class_name: PruneLogs
      days: 30
`;

describe('tasks file', () => {
  let f: ServiceFixture;
  beforeEach(async () => {
    f = await serviceFixture();
  });
  afterEach(async () => {
    await f.close();
  });

  it('upserts YAML entries by name, with policies and single or many actions', async () => {
    const path = file('tasks.yaml', YAML);
    const r = await applyTasksFile(path, f.tasks);
    expect(r.created).to.deep.equal(['nightly-vacuum', 'prune']);
    const { tasks } = await f.tasks.list();
    const vacuum = tasks.find((t) => t.name === 'nightly-vacuum')!;
    expect(vacuum.timezone).to.equal('Europe/Paris');
    expect(vacuum.policies.retries).to.equal(2);
    expect(vacuum.policies.timeoutMs).to.equal(7_200_000);
    expect(vacuum.actions[0]!.parameters.command).to.equal('echo vacuum');
    expect(vacuum.nextTriggerAt!.toISOString()).to.equal('2026-03-02T01:30:00.000Z');
    const prune = tasks.find((t) => t.name === 'prune')!;
    expect(prune.actions[0]!.actionClassName).to.equal('PruneLogs');
  });

  it('applied twice changes nothing; an edited entry is updated in place', async () => {
    const path = file('tasks.yaml', YAML);
    await applyTasksFile(path, f.tasks);
    const again = await applyTasksFile(path, f.tasks);
    expect(again.unchanged).to.deep.equal(['nightly-vacuum', 'prune']);
    writeFileSync(path, YAML.replace('schedule_when: 1d', 'schedule_when: 12h'));
    const edited = await applyTasksFile(path, f.tasks);
    expect(edited.updated).to.deep.equal(['prune']);
    expect(await f.store.tasks.count()).to.equal(2);
  });

  it('accepts JSON (a plain list)', async () => {
    const path = file(
      'tasks.json',
      JSON.stringify([
        {
          name: 'j',
          schedule_method: 'in',
          schedule_when: '5m',
          action: { action_class_name: 'Log' },
        },
      ]),
    );
    const r = await applyTasksFile(path, f.tasks);
    expect(r.created).to.deep.equal(['j']);
  });

  it('changes nothing when one entry is invalid, and names the entry and the field', async () => {
    const path = file('bad.yaml', YAML.replace('"30 2 * * *"', '"61 2 * * *"'));
    try {
      await applyTasksFile(path, f.tasks);
      expect.fail('should reject');
    } catch (err) {
      expect(err).to.be.instanceOf(TaskrError);
      expect((err as Error).message).to.match(
        /bad\.yaml: entry 1 \(nightly-vacuum\): schedule_when/,
      );
    }
    expect(await f.store.tasks.count()).to.equal(0);
  });

  it('rejects a file that is not a list of tasks, or names a task twice', async () => {
    let msg = '';
    await applyTasksFile(file('x.yaml', 'just: text\n'), f.tasks).catch(
      (e: Error) => (msg = e.message),
    );
    expect(msg).to.match(/expected a list of tasks/);
    const dup = `- {name: a, schedule_method: every, schedule_when: 1m, action: {action_class_name: Log}}\n`;
    await applyTasksFile(file('d.yaml', dup + dup), f.tasks).catch((e: Error) => (msg = e.message));
    expect(msg).to.match(/name 'a' appears twice/);
    expect(await f.store.tasks.count()).to.equal(0);
  });
});
