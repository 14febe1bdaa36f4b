import { expect } from 'chai';
import { ManualClock } from '../../src/clock/manualClock.js';

describe('ManualClock', () => {
  it('fires timers in due order, each seeing the wall time at its due moment', async () => {
    const clock = new ManualClock('2026-01-01T00:00:00Z');
    const seen: string[] = [];
    clock.setTimer(() => seen.push(`b@${new Date(clock.now()).toISOString()}`), 2000);
    clock.setTimer(() => seen.push(`a@${new Date(clock.now()).toISOString()}`), 1000);
    await clock.advance(1500);
    expect(seen).to.deep.equal(['a@2026-01-01T00:00:01.000Z']);
    await clock.advance(1000);
    expect(seen[1]).to.equal('b@2026-01-01T00:00:02.000Z');
    expect(new Date(clock.now()).toISOString()).to.equal('2026-01-01T00:00:02.500Z');
  });

  it('jump moves the wall clock only: armed timers keep their elapsed-time due', async () => {
    const clock = new ManualClock('2026-01-01T00:00:00Z');
    let fired = false;
    clock.setTimer(() => (fired = true), 1000);
    clock.jump(-3_600_000);
    expect(new Date(clock.now()).toISOString()).to.equal('2025-12-31T23:00:00.000Z');
    await clock.advance(999);
    expect(fired).to.equal(false);
    await clock.advance(1);
    expect(fired).to.equal(true);
  });

  it('cleared timers never fire', async () => {
    const clock = new ManualClock(0);
    let fired = false;
    const h = clock.setTimer(() => (fired = true), 10);
    clock.clearTimer(h);
    await clock.advance(100);
    expect(fired).to.equal(false);
    expect(clock.armedDelays()).to.deep.equal([]);
  });
});
