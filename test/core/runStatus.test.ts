import { expect } from 'chai';
import {
  allowedTransitions,
  assertTransition,
  canTransition,
  isTerminal,
} from '../../src/domain/runStatus.js';
import { RUN_STATUSES } from '../../src/domain/types.js';
import { TaskrError } from '../../src/errors.js';

describe('run status transition table', () => {
  it('allows the lifecycle pending -> running -> each end state', () => {
    expect(canTransition('pending', 'running')).to.equal(true);
    for (const end of ['succeeded', 'failed', 'timed_out', 'cancelled', 'interrupted'] as const) {
      expect(canTransition('running', end), end).to.equal(true);
    }
  });

  it('lets a waiting run be cancelled, skipped or interrupted before it starts', () => {
    expect(allowedTransitions('pending')).to.have.members([
      'running',
      'cancelled',
      'skipped',
      'interrupted',
    ]);
  });

  it('treats every end state as terminal: nothing leaves it', () => {
    for (const s of [
      'succeeded',
      'failed',
      'timed_out',
      'cancelled',
      'skipped',
      'missed',
      'interrupted',
    ] as const) {
      expect(isTerminal(s), s).to.equal(true);
      for (const to of RUN_STATUSES) expect(canTransition(s, to), `${s}->${to}`).to.equal(false);
    }
  });

  it('throws run.illegal_transition naming both states', () => {
    expect(() => assertTransition('succeeded', 'running')).to.throw(
      TaskrError,
      'run status cannot change from succeeded to running',
    );
    expect(() => assertTransition('pending', 'succeeded')).to.throw(TaskrError);
    try {
      assertTransition('running', 'pending');
    } catch (err) {
      expect((err as TaskrError).code).to.equal('run.illegal_transition');
    }
    expect(() => assertTransition('running', 'failed')).not.to.throw();
  });
});
