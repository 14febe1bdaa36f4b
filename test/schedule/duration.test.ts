import { expect } from 'chai';
import { parseDuration } from '../../src/schedule/schedule.js';
import { fieldErrors, ms, parse, parseErrors } from './helpers.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('schedule: durations (in, every)', () => {
  const cases: [string, number][] = [
    ['30s', 30 * SECOND],
    ['5m', 5 * MINUTE],
    ['3h', 3 * HOUR],
    ['2d', 2 * DAY],
    ['1w', 7 * DAY],
    ['1M', 30 * DAY],
    ['1y', 365 * DAY],
    ['500ms', 500],
    ['1h30m', HOUR + 30 * MINUTE],
    ['1h 30m', HOUR + 30 * MINUTE],
    ['  1d 2h  3m4s 5ms ', DAY + 2 * HOUR + 3 * MINUTE + 4 * SECOND + 5],
    ['2m30s', 2 * MINUTE + 30 * SECOND],
    ['30m1h', HOUR + 30 * MINUTE],
    ['1.5h', 90 * MINUTE],
    ['1500', 1500],
    ['1', 1],
  ];
  for (const [text, expected] of cases) {
    it(`reads '${text}' as ${expected} ms`, () => {
      expect(parseDuration(text, 'every')).to.equal(expected);
    });
  }

  it('tells m (minutes) from M (30 days)', () => {
    expect(parseDuration('1m', 'in')).to.equal(MINUTE);
    expect(parseDuration('1M', 'in')).to.equal(30 * DAY);
  });

  it('accepts a JSON number as bare milliseconds', () => {
    expect(parse('every', 2500).intervalMs).to.equal(2500);
  });

  const rejections: [string, 'in' | 'every', string][] = [
    ['5x', 'every', "'5x' for every: unknown unit 'x'; use ms, s, m, h, d, w, M, y"],
    ['5min', 'in', "'5min' for in: unknown unit 'min'; use ms, s, m, h, d, w, M, y"],
    ['1H', 'every', "'1H' for every: unknown unit 'H'; use ms, s, m, h, d, w, M, y"],
    ['1h30', 'every', "'1h30' for every: '30' has no unit; use ms, s, m, h, d, w, M, y"],
    ['0', 'every', "'0' for every: the duration must be at least 1ms"],
    ['0s', 'in', "'0s' for in: the duration must be at least 1ms"],
    ['0h 0m', 'every', "'0h 0m' for every: the duration must be at least 1ms"],
    ['0.4ms', 'every', "'0.4ms' for every: the duration must be at least 1ms"],
    ['-5m', 'every', "'-5m' for every: the duration must be positive"],
    ['-1', 'in', "'-1' for in: the duration must be positive"],
    [
      'abc',
      'every',
      "'abc' for every: not a duration; use a number and a unit, e.g. 30s, 5m, 1h30m, 500ms",
    ],
    [
      '5m, 3s',
      'every',
      "'5m, 3s' for every: not a duration; use a number and a unit, e.g. 30s, 5m, 1h30m, 500ms",
    ],
    ['101y', 'in', "'101y' for in: the duration is too long; at most 100y"],
  ];
  for (const [text, method, message] of rejections) {
    it(`rejects '${text}' for ${method}`, () => {
      expect(fieldErrors(() => parseDuration(text, method))).to.deep.equal([
        { field: 'schedule_when', message },
      ]);
      expect(parseErrors(method, text)).to.deep.equal([{ field: 'schedule_when', message }]);
    });
  }

  it('in: fires once, the duration after the anchor', () => {
    const s = parse('in', '1h30m');
    expect(s.recurring).to.equal(false);
    expect(s.intervalMs).to.equal(90 * MINUTE);
    expect(s.first(ms('2026-01-02T10:00:00Z'))).to.equal(ms('2026-01-02T11:30:00Z'));
    expect(s.next(ms('2026-01-02T11:30:00Z'))).to.equal(null);
  });

  it('every: fixed rate from the previous scheduled instant', () => {
    const s = parse('every', '5m');
    expect(s.recurring).to.equal(true);
    expect(s.first(ms('2026-01-02T10:00:00Z'))).to.equal(ms('2026-01-02T10:05:00Z'));
    expect(s.next(ms('2026-01-02T10:05:00Z'))).to.equal(ms('2026-01-02T10:10:00Z'));
    // A late run does not shift the series: next() counts from the scheduled instant it is given.
    expect(s.next(ms('2026-01-02T10:10:00Z'))).to.equal(ms('2026-01-02T10:15:00Z'));
  });

  it('every: elapsed time, unaffected by a DST change in the task zone', () => {
    const s = parse('every', '1h', { timezone: 'Europe/Berlin' });
    expect(s.next(ms('2026-03-29T00:30:00Z'))).to.equal(ms('2026-03-29T01:30:00Z'));
    expect(s.next(ms('2026-10-25T00:30:00Z'))).to.equal(ms('2026-10-25T01:30:00Z'));
  });
});
