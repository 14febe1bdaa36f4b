import { expect } from 'chai';
import type { Task } from '../../src/domain/types.js';
import { normaliseTaskInput, unwrapTask } from '../../src/http/input/taskInput.js';

const stored: Task = {
  id: 7,
  name: 'backup',
  memo: 'nightly',
  scheduleMethod: 'every',
  scheduleWhen: '1h',
  timezone: null,
  enabled: true,
  policies: { overlap: 'skip', misfire: null, timeoutMs: 60_000, retries: 2, retryBackoffMs: null },
  createdOn: new Date('2026-01-01T00:00:00Z'),
  createdBy: '10.0.0.1',
  updatedOn: new Date('2026-01-01T00:00:00Z'),
  lastTriggered: null,
  lastTriggeredError: null,
  nextTriggerAt: new Date('2026-01-01T01:00:00Z'),
  actions: [
    { id: 3, taskId: 7, order: 0, actionClassName: 'Shell', parameters: { command: 'ls' } },
  ],
};

describe('http task input normalisation', () => {
  it('accepts fields with or without the task wrapper, and the Zend 0 wrapper', () => {
    expect(unwrapTask({ task: { name: 'a' }, action: { command: 'x' } })).to.deep.equal({
      name: 'a',
      action: { command: 'x' },
    });
    expect(unwrapTask({ 0: { name: 'z' } })).to.deep.equal({ name: 'z' });
    expect(unwrapTask({ task: [{ name: 'z0' }] })).to.deep.equal({ name: 'z0' });
    expect(unwrapTask({ task: { 0: { name: 'tz' } } })).to.deep.equal({ name: 'tz' });
  });

  it('reads action and actions as a list, an index-keyed hash or a single action', () => {
    const single = normaliseTaskInput({ action: { action_class_name: 'Shell', command: 'a' } })
      .input.actions;
    const list = normaliseTaskInput({ actions: [{ action_class_name: 'Shell', command: 'a' }] })
      .input.actions;
    const hash = normaliseTaskInput({
      action: {
        1: { action_class_name: 'Log', message: 'b' },
        0: { action_class_name: 'Shell', command: 'a' },
      },
    }).input.actions;
    const expected = { actionClassName: 'Shell', parameters: { command: 'a' } };
    expect(single).to.deep.equal([expected]);
    expect(list).to.deep.equal([expected]);
    expect(hash).to.deep.equal([
      expected,
      { actionClassName: 'Log', parameters: { message: 'b' } },
    ]);
  });

  it('takes parameters from the action, params or parameters, and drops row fields', () => {
    const { input, actionIds } = normaliseTaskInput({
      actions: [
        { id: 3, order: 0, task_id: 7, action_class_name: 'Shell', params: { command: 'a' } },
        { action_class_name: 'Log', parameters: { message: 'm' }, extra: 1 },
      ],
    });
    expect(input.actions).to.deep.equal([
      { actionClassName: 'Shell', parameters: { command: 'a' } },
      { actionClassName: 'Log', parameters: { message: 'm', extra: 1 } },
    ]);
    expect(actionIds).to.deep.equal([3, null]);
  });

  it('orders actions by their order field when every action has one', () => {
    const { input } = normaliseTaskInput({
      actions: [
        { order: 1, action_class_name: 'Log', message: 'second' },
        { order: 0, action_class_name: 'Log', message: 'first' },
      ],
    });
    expect(input.actions.map((a) => a.parameters.message)).to.deep.equal(['first', 'second']);
  });

  it("keeps only the chosen type's non-blank form parameters and skips blank or removed rows", () => {
    const { input } = normaliseTaskInput({
      task: {
        actions: {
          0: {
            action_class_name: 'Shell',
            params_for: { Shell: { command: 'ls', cwd: '' }, Log: { message: 'no' } },
          },
          1: { action_class_name: 'Log', params_for: { Log: { message: 'gone' } }, _destroy: '1' },
          2: { action_class_name: '', params_for: { Shell: { command: '' } } },
        },
      },
    });
    expect(input.actions).to.deep.equal([
      { actionClassName: 'Shell', parameters: { command: 'ls' } },
    ]);
  });

  it('reads policies as durations or milliseconds, booleans from checkboxes', () => {
    const { input, errors } = normaliseTaskInput({
      name: 'n',
      schedule_method: 'EVERY',
      schedule_when: '5m',
      timeout: '30m',
      retry_backoff_ms: 1500,
      retries: '3',
      overlap: 'queue',
      enabled: ['0', '1'],
    });
    expect(errors).to.deep.equal([]);
    expect(input.scheduleMethod).to.equal('every');
    expect(input.enabled).to.equal(true);
    expect(input.policies).to.deep.equal({
      overlap: 'queue',
      timeoutMs: 1_800_000,
      retryBackoffMs: 1500,
      retries: 3,
    });
  });

  it('reports bad booleans, durations and counts by field', () => {
    const { errors } = normaliseTaskInput({ enabled: 'maybe', timeout: 'soon', retries: 'x' });
    expect(errors.map((e) => e.field)).to.deep.equal(['enabled', 'timeout', 'retries']);
  });

  it('keeps stored values for fields an update leaves out, and replaces actions when sent', () => {
    const kept = normaliseTaskInput({ enabled: false }, { existing: stored });
    expect(kept.input).to.deep.include({
      name: 'backup',
      memo: 'nightly',
      scheduleWhen: '1h',
      enabled: false,
    });
    expect(kept.input.policies).to.deep.equal(stored.policies);
    expect(kept.input.actions).to.deep.equal([
      { actionClassName: 'Shell', parameters: { command: 'ls' } },
    ]);
    expect(kept.actionsGiven).to.equal(false);
    const replaced = normaliseTaskInput(
      { actions: [{ action_class_name: 'Log' }] },
      { existing: stored },
    );
    expect(replaced.input.actions).to.deep.equal([{ actionClassName: 'Log', parameters: {} }]);
  });

  it('ignores read-only and unknown fields (the server document comes back whole)', () => {
    const { input, errors } = normaliseTaskInput(
      {
        id: 99,
        created_on: new Date(),
        last_triggered: null,
        next_trigger_at: new Date(),
        state: 'scheduled',
        whatever: 'x',
        timeout_ms: null,
      },
      { existing: stored },
    );
    expect(errors).to.deep.equal([]);
    expect(input.name).to.equal('backup');
    expect(input.policies?.timeoutMs).to.equal(null);
  });
});
