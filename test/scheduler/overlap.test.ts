import { expect } from 'chai';
import { decideOverlap, MAX_RETRY_DELAY_MS, retryDelay } from '../../src/scheduler/overlap.js';
import { nextWake } from '../../src/scheduler/timerPlan.js';

describe('scheduler/overlap decideOverlap', () => {
  const idle = { running: 0, queued: 0 };
  const busy = { running: 1, queued: 0 };
  const full = { running: 1, queued: 1 };

  it('skip: starts when idle, skips while anything is active', () => {
    expect(decideOverlap('skip', idle)).to.equal('start');
    expect(decideOverlap('skip', busy)).to.equal('skip');
    expect(decideOverlap('skip', { running: 0, queued: 1 })).to.equal('skip');
  });

  it('allow: always starts', () => {
    expect(decideOverlap('allow', idle)).to.equal('start');
    expect(decideOverlap('allow', { running: 5, queued: 0 })).to.equal('start');
  });

  it('queue: starts when idle, queues one behind a running run, skips a second', () => {
    expect(decideOverlap('queue', idle)).to.equal('start');
    expect(decideOverlap('queue', busy)).to.equal('queue');
    expect(decideOverlap('queue', full)).to.equal('skip');
  });

  it('replace: replaces a running run, otherwise starts', () => {
    expect(decideOverlap('replace', idle)).to.equal('start');
    expect(decideOverlap('replace', busy)).to.equal('replace');
  });
});

describe('scheduler/overlap retryDelay', () => {
  it('doubles from the backoff for each further attempt', () => {
    expect([1, 2, 3, 4].map((a) => retryDelay(a, 10_000))).to.deep.equal([
      10_000, 20_000, 40_000, 80_000,
    ]);
  });

  it('is capped at one day, even for absurd attempts', () => {
    expect(retryDelay(30, 10_000)).to.equal(MAX_RETRY_DELAY_MS);
    expect(retryDelay(5000, 1)).to.equal(MAX_RETRY_DELAY_MS);
  });

  it('a zero backoff retries at once', () => {
    expect(retryDelay(3, 0)).to.equal(0);
  });
});

describe('scheduler/timerPlan nextWake', () => {
  const now = new Date('2024-03-01T10:00:00Z').getTime();
  it('sleeps until a near instant exactly', () => {
    expect(nextWake(now + 15, now, 30_000)).to.equal(15);
    expect(nextWake(now + 1, now, 30_000)).to.equal(1);
  });
  it('ends a long sleep early by 0.2 % (above the timer slack seen) plus 1 ms, then hops', () => {
    expect(nextWake(now + 1234, now, 30_000)).to.equal(1234 - 3 - 1);
    expect(nextWake(now + 5000, now, 30_000)).to.equal(5000 - 10 - 1);
    // The hop from that early wake (11 ms before the instant) is armed exactly.
    expect(nextWake(now + 5000, now + 4989, 30_000)).to.equal(11);
    // Even 0.2 % late (twice the slack Linux allows a normal process) the early wake is
    // before the instant.
    for (const d of [20, 999, 4000, 29_999, 30_061]) {
      const s = nextWake(now + d, now, 30_000);
      expect(s + s / 500, `a sleep for an instant ${d} ms ahead`).to.be.lessThan(d);
    }
  });
  it('never sleeps past the cap', () => {
    expect(nextWake(now + 3_600_000, now, 30_000)).to.equal(30_000);
    // Just past the cap: the cap sleep's own slack must not carry it past the instant.
    expect(nextWake(now + 30_010, now, 30_000)).to.equal(30_010 - 61 - 1);
  });
  it('with nothing due it sleeps the cap', () => {
    expect(nextWake(null, now, 30_000)).to.equal(30_000);
  });
  it('an overdue instant (clock jumped forward) wakes at once, never negative', () => {
    expect(nextWake(now - 60_000, now, 30_000)).to.equal(0);
  });
});
