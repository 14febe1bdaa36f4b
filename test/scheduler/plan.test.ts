import { expect } from 'chai';
import { parseSchedule } from '../../src/schedule/schedule.js';
import { ENUMERATION_CAP, planDue, type PlanInput } from '../../src/scheduler/plan.js';
import type { MisfirePolicy, ScheduleMethod } from '../../src/domain/types.js';

const t = (iso: string): number => new Date(iso).getTime();
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const MIN = 60_000;

function input(
  method: ScheduleMethod,
  when: string,
  nextTriggerAt: string,
  misfire: MisfirePolicy = 'skip',
  extra: Partial<PlanInput> = {},
): PlanInput {
  return {
    schedule: parseSchedule(method, when, {
      timezone: 'UTC',
      defaultTimezone: 'UTC',
      now: t(nextTriggerAt),
    }),
    nextTriggerAt: t(nextTriggerAt),
    misfire,
    misfireThresholdMs: MIN,
    oneShotGraceMs: 60 * MIN,
    runAllCap: 100,
    ...extra,
  };
}

describe('scheduler/plan planDue', () => {
  describe('every', () => {
    it('fires an on-time occurrence and moves to the next one', () => {
      const p = planDue(
        input('every', '5m', '2024-03-01T10:00:00Z'),
        t('2024-03-01T10:00:00.004Z'),
      );
      expect(p.fire).to.deep.equal([
        { scheduledFor: t('2024-03-01T10:00:00Z'), trigger: 'schedule' },
      ]);
      expect(p.missed).to.equal(null);
      expect(iso(p.nextTriggerAt)).to.equal('2024-03-01T10:05:00.000Z');
    });

    it('skip: down from 09:02 to 10:00:03 gives 11 missed and 10:00 on time', () => {
      const p = planDue(
        input('every', '5m', '2024-03-01T09:05:00Z', 'skip'),
        t('2024-03-01T10:00:03Z'),
      );
      expect(p.fire).to.deep.equal([
        { scheduledFor: t('2024-03-01T10:00:00Z'), trigger: 'schedule' },
      ]);
      expect(p.missed).to.deep.equal({
        scheduledFor: t('2024-03-01T09:05:00Z'),
        count: 11,
        lastMissed: t('2024-03-01T09:55:00Z'),
      });
      expect(iso(p.nextTriggerAt)).to.equal('2024-03-01T10:05:00.000Z');
    });

    it('run_once records the missed ones when an occurrence is on time (no catch-up)', () => {
      const p = planDue(
        input('every', '5m', '2024-03-01T09:05:00Z', 'run_once'),
        t('2024-03-01T10:00:03Z'),
      );
      expect(p.fire.map((f) => f.trigger)).to.deep.equal(['schedule']);
      expect(p.missed?.count).to.equal(11);
    });

    it('run_once catches up the latest missed occurrence when none is on time', () => {
      const p = planDue(
        input('every', '5m', '2024-03-01T09:05:00Z', 'run_once'),
        t('2024-03-01T10:02:00Z'),
      );
      expect(p.fire).to.deep.equal([
        { scheduledFor: t('2024-03-01T10:00:00Z'), trigger: 'catch_up' },
      ]);
      // 09:05 .. 09:55 are recorded as one missed row; 10:00 ran as the catch-up.
      expect(p.missed).to.deep.equal({
        scheduledFor: t('2024-03-01T09:05:00Z'),
        count: 11,
        lastMissed: t('2024-03-01T09:55:00Z'),
      });
      expect(iso(p.nextTriggerAt)).to.equal('2024-03-01T10:05:00.000Z');
    });

    it('run_all fires every missed occurrence up to the cap, the oldest rest as one missed row', () => {
      const p = planDue(
        input('every', '5m', '2024-03-01T09:05:00Z', 'run_all', { runAllCap: 4 }),
        t('2024-03-01T10:00:03Z'),
      );
      expect(p.fire.map((f) => [iso(f.scheduledFor), f.trigger])).to.deep.equal([
        ['2024-03-01T09:40:00.000Z', 'catch_up'],
        ['2024-03-01T09:45:00.000Z', 'catch_up'],
        ['2024-03-01T09:50:00.000Z', 'catch_up'],
        ['2024-03-01T09:55:00.000Z', 'catch_up'],
        ['2024-03-01T10:00:00.000Z', 'schedule'],
      ]);
      expect(p.missed).to.deep.equal({
        scheduledFor: t('2024-03-01T09:05:00Z'),
        count: 7,
        lastMissed: t('2024-03-01T09:35:00Z'),
      });
    });

    it('run_all under the cap catches up everything and records nothing missed', () => {
      const p = planDue(
        input('every', '5m', '2024-03-01T09:05:00Z', 'run_all'),
        t('2024-03-01T10:00:03Z'),
      );
      expect(p.fire).to.have.length(12);
      expect(p.fire.filter((f) => f.trigger === 'catch_up')).to.have.length(11);
      expect(p.missed).to.equal(null);
    });

    it('an occurrence exactly misfireThresholdMs late is on time; 1 ms later it is missed', () => {
      const at = input('every', '1h', '2024-03-01T10:00:00Z');
      expect(planDue(at, t('2024-03-01T10:01:00Z')).fire[0]?.trigger).to.equal('schedule');
      const late = planDue(at, t('2024-03-01T10:01:00.001Z'));
      expect(late.fire).to.deep.equal([]);
      expect(late.missed?.count).to.equal(1);
      expect(iso(late.nextTriggerAt)).to.equal('2024-03-01T11:00:00.000Z');
    });

    it('fires every occurrence inside the threshold on time', () => {
      const p = planDue(input('every', '20s', '2024-03-01T10:00:00Z'), t('2024-03-01T10:00:45Z'));
      expect(p.fire.map((f) => iso(f.scheduledFor))).to.deep.equal([
        '2024-03-01T10:00:00.000Z',
        '2024-03-01T10:00:20.000Z',
        '2024-03-01T10:00:40.000Z',
      ]);
      expect(iso(p.nextTriggerAt)).to.equal('2024-03-01T10:01:00.000Z');
    });

    it('a clock ten years ahead is counted, not iterated', () => {
      const start = Date.now();
      const p = planDue(
        input('every', '1s', '2024-01-01T00:00:00Z', 'run_all'),
        t('2034-01-01T00:00:00Z'),
      );
      expect(Date.now() - start).to.be.below(1000);
      expect(p.fire).to.have.length(100 + 61); // runAllCap catch-ups + the last minute on time
      expect(p.missed?.count).to.equal(
        (t('2034-01-01T00:00:00Z') - t('2024-01-01T00:00:00Z')) / 1000 - 60 - 100,
      );
      expect(iso(p.nextTriggerAt)).to.equal('2034-01-01T00:00:01.000Z');
    });
  });

  describe('cron', () => {
    it('misses a night of hourly occurrences and fires the on-time one', () => {
      const p = planDue(
        input('cron', '0 * * * *', '2024-03-01T01:00:00Z'),
        t('2024-03-01T08:00:30Z'),
      );
      expect(p.fire).to.deep.equal([
        { scheduledFor: t('2024-03-01T08:00:00Z'), trigger: 'schedule' },
      ]);
      expect(p.missed).to.deep.equal({
        scheduledFor: t('2024-03-01T01:00:00Z'),
        count: 7,
        lastMissed: t('2024-03-01T07:00:00Z'),
      });
      expect(iso(p.nextTriggerAt)).to.equal('2024-03-01T09:00:00.000Z');
    });

    it('run_once catches up 07:00 when 08:00 has not come', () => {
      const p = planDue(
        input('cron', '0 * * * *', '2024-03-01T01:00:00Z', 'run_once'),
        t('2024-03-01T07:30:00Z'),
      );
      expect(p.fire).to.deep.equal([
        { scheduledFor: t('2024-03-01T07:00:00Z'), trigger: 'catch_up' },
      ]);
      expect(p.missed?.count).to.equal(6);
      expect(iso(p.missed!.lastMissed)).to.equal('2024-03-01T06:00:00.000Z');
    });

    it('run_all with a cap catches up the most recent ones', () => {
      const p = planDue(
        input('cron', '0 * * * *', '2024-03-01T01:00:00Z', 'run_all', { runAllCap: 2 }),
        t('2024-03-01T07:30:00Z'),
      );
      expect(p.fire.map((f) => iso(f.scheduledFor))).to.deep.equal([
        '2024-03-01T06:00:00.000Z',
        '2024-03-01T07:00:00.000Z',
      ]);
      expect(p.missed).to.deep.equal({
        scheduledFor: t('2024-03-01T01:00:00Z'),
        count: 5,
        lastMissed: t('2024-03-01T05:00:00Z'),
      });
    });

    it('a clock far ahead stops at the enumeration cap and reports "at least"', function () {
      this.timeout(20_000);
      const p = planDue(
        input('cron', '* * * * *', '2024-01-01T00:00:00Z', 'run_all', { runAllCap: 3 }),
        t('2044-01-01T00:00:30Z'),
      );
      expect(p.missed?.atLeast).to.equal(true);
      expect(p.missed!.count).to.be.at.least(ENUMERATION_CAP);
      expect(p.fire.map((f) => [iso(f.scheduledFor), f.trigger])).to.deep.equal([
        ['2043-12-31T23:57:00.000Z', 'catch_up'],
        ['2043-12-31T23:58:00.000Z', 'catch_up'],
        ['2043-12-31T23:59:00.000Z', 'catch_up'],
        ['2044-01-01T00:00:00.000Z', 'schedule'],
      ]);
      expect(iso(p.nextTriggerAt)).to.equal('2044-01-01T00:01:00.000Z');
    });
  });

  describe('one-shot', () => {
    it('fires an `at` on time and expires', () => {
      const p = planDue(
        input('at', '2024-03-01T10:00:00Z', '2024-03-01T10:00:00Z'),
        t('2024-03-01T10:00:00Z'),
      );
      expect(p).to.deep.equal({
        fire: [{ scheduledFor: t('2024-03-01T10:00:00Z'), trigger: 'schedule' }],
        missed: null,
        nextTriggerAt: null,
      });
    });

    it('within the grace but past the threshold it fires as catch_up', () => {
      const p = planDue(input('in', '5m', '2024-03-01T10:00:00Z'), t('2024-03-01T10:30:00Z'));
      expect(p.fire).to.deep.equal([
        { scheduledFor: t('2024-03-01T10:00:00Z'), trigger: 'catch_up' },
      ]);
      expect(p.nextTriggerAt).to.equal(null);
    });

    it('exactly at the grace it still fires; 1 ms past it is one missed occurrence', () => {
      const i = input('at', '2024-03-01T10:00:00Z', '2024-03-01T10:00:00Z');
      expect(planDue(i, t('2024-03-01T11:00:00Z')).fire).to.have.length(1);
      const p = planDue(i, t('2024-03-01T11:00:00.001Z'));
      expect(p.fire).to.deep.equal([]);
      expect(p.missed).to.deep.equal({
        scheduledFor: t('2024-03-01T10:00:00Z'),
        count: 1,
        lastMissed: t('2024-03-01T10:00:00Z'),
      });
      expect(p.nextTriggerAt).to.equal(null);
    });
  });

  it('does nothing before nextTriggerAt (never early)', () => {
    const p = planDue(input('every', '5m', '2024-03-01T10:00:00Z'), t('2024-03-01T09:59:59.999Z'));
    expect(p.fire).to.deep.equal([]);
    expect(iso(p.nextTriggerAt)).to.equal('2024-03-01T10:00:00.000Z');
  });
});
