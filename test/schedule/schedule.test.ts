import { expect } from 'chai';
import { ValidationError } from '../../src/errors.js';
import { describeSchedule, isValidTimezone } from '../../src/schedule/schedule.js';
import { fires, parse, parseErrors } from './helpers.js';

const ZONE_MESSAGE = (zone: string) =>
  `'${zone}' is not an IANA time zone (e.g. Europe/Paris, UTC)`;

describe('schedule: parseSchedule', () => {
  it('returns the normalised method, when and effective zone', () => {
    const s = parse(' Every ', '  1h 30m ', { timezone: 'Europe/Paris' });
    expect([s.method, s.when, s.timezone]).to.deep.equal(['every', '1h 30m', 'Europe/Paris']);
    expect(parse('in', '5m', { timezone: null, defaultTimezone: 'Asia/Tokyo' }).timezone).to.equal(
      'Asia/Tokyo',
    );
    expect(parse('in', '5m', { timezone: '  ', defaultTimezone: 'Asia/Tokyo' }).timezone).to.equal(
      'Asia/Tokyo',
    );
  });

  it('rejects an unknown method', () => {
    expect(parseErrors('weekly', '5m')).to.deep.equal([
      { field: 'schedule_method', message: "'weekly' is not allowed; use in, every, at or cron" },
    ]);
    expect(parseErrors(42, '5m')).to.deep.equal([
      { field: 'schedule_method', message: "'42' is not allowed; use in, every, at or cron" },
    ]);
  });

  it('rejects a blank method and a blank when', () => {
    for (const blank of [undefined, null, '', '   ']) {
      expect(parseErrors(blank, '5m')).to.deep.equal([
        { field: 'schedule_method', message: "can't be blank" },
      ]);
      expect(parseErrors('every', blank)).to.deep.equal([
        { field: 'schedule_when', message: "can't be blank" },
      ]);
    }
  });

  it('rejects a when that is not text, or too long', () => {
    expect(parseErrors('every', { m: 5 })).to.deep.equal([
      { field: 'schedule_when', message: 'must be text, not object' },
    ]);
    expect(parseErrors('every', '1s'.repeat(200))).to.deep.equal([
      { field: 'schedule_when', message: 'is too long (at most 256 characters)' },
    ]);
  });

  it('rejects a bad timezone for every method', () => {
    for (const [method, when] of [
      ['in', '5m'],
      ['every', '5m'],
      ['at', '2026-02-01 10:00'],
      ['cron', '0 9 * * *'],
    ]) {
      expect(parseErrors(method, when, { timezone: 'Mars/Olympus' })).to.deep.equal([
        { field: 'timezone', message: ZONE_MESSAGE('Mars/Olympus') },
      ]);
    }
    expect(parseErrors('every', '5m', { timezone: '+01:00' })).to.deep.equal([
      { field: 'timezone', message: ZONE_MESSAGE('+01:00') },
    ]);
  });

  it('collects method, when and timezone errors in one ValidationError', () => {
    expect(parseErrors('weekly', '', { timezone: 'Mars/Olympus' })).to.deep.equal([
      { field: 'schedule_method', message: "'weekly' is not allowed; use in, every, at or cron" },
      { field: 'schedule_when', message: "can't be blank" },
      { field: 'timezone', message: ZONE_MESSAGE('Mars/Olympus') },
    ]);
    expect(parseErrors('cron', '61 * * * *', { timezone: 'Mars/Olympus' })).to.deep.equal([
      { field: 'timezone', message: ZONE_MESSAGE('Mars/Olympus') },
      { field: 'schedule_when', message: "'61 * * * *' for cron: invalid value for minute: 61" },
    ]);
    expect(parseErrors('at', 'soon', { timezone: 'Mars/Olympus' })).to.have.length(2);
  });

  it('reads as "<field> <message>" in the error text', () => {
    try {
      parse('every', '5x');
      expect.fail('expected a ValidationError');
    } catch (err) {
      expect(err).to.be.instanceOf(ValidationError);
      expect((err as Error).message).to.equal(
        "schedule_when '5x' for every: unknown unit 'x'; use ms, s, m, h, d, w, M, y",
      );
    }
  });

  it('isValidTimezone', () => {
    for (const zone of ['UTC', 'Europe/Paris', 'America/New_York', 'Etc/GMT+5']) {
      expect(isValidTimezone(zone), zone).to.equal(true);
    }
    for (const zone of ['Mars/Olympus', '', '+01:00', ' Europe/Paris', 'local']) {
      expect(isValidTimezone(zone), zone).to.equal(false);
    }
  });
});

describe('schedule: nextFireTimes', () => {
  it('in: the single instant after the anchor, if it is after from', () => {
    const s = parse('in', '1h');
    expect(fires(s, '2026-01-01T00:00:00Z', 3)).to.deep.equal(['2026-01-01T01:00:00.000Z']);
    expect(fires(s, '2026-01-01T00:30:00Z', 3, '2026-01-01T00:00:00Z')).to.deep.equal([
      '2026-01-01T01:00:00.000Z',
    ]);
    expect(fires(s, '2026-01-01T01:00:00Z', 3, '2026-01-01T00:00:00Z')).to.deep.equal([]);
  });

  it('every: the series from the anchor, strictly after from', () => {
    const s = parse('every', '15m');
    expect(fires(s, '2026-01-01T00:00:00Z', 2)).to.deep.equal([
      '2026-01-01T00:15:00.000Z',
      '2026-01-01T00:30:00.000Z',
    ]);
    expect(fires(s, '2026-01-01T10:07:00Z', 3, '2026-01-01T00:00:00Z')).to.deep.equal([
      '2026-01-01T10:15:00.000Z',
      '2026-01-01T10:30:00.000Z',
      '2026-01-01T10:45:00.000Z',
    ]);
    // Exactly on an occurrence: that one is not "after".
    expect(fires(s, '2026-01-01T10:15:00Z', 1, '2026-01-01T00:00:00Z')).to.deep.equal([
      '2026-01-01T10:30:00.000Z',
    ]);
    // An anchor years back skips intervals arithmetically (1ms interval, ~10^11 steps).
    expect(
      fires(parse('every', '1'), '2026-01-01T00:00:00Z', 2, '2022-01-01T00:00:00Z'),
    ).to.deep.equal(['2026-01-01T00:00:00.001Z', '2026-01-01T00:00:00.002Z']);
  });

  it('at: the instant if after from, else nothing', () => {
    const s = parse('at', '2026-01-02T16:53:14Z');
    expect(fires(s, '2026-01-01T00:00:00Z', 3)).to.deep.equal(['2026-01-02T16:53:14.000Z']);
    expect(fires(s, '2026-01-02T16:53:14Z', 3)).to.deep.equal([]);
  });

  it('cron: matches strictly after from (and after the anchor)', () => {
    const s = parse('cron', '0 12 * * *');
    expect(fires(s, '2026-01-01T12:00:00Z', 2)).to.deep.equal([
      '2026-01-02T12:00:00.000Z',
      '2026-01-03T12:00:00.000Z',
    ]);
    expect(fires(s, '2026-01-01T00:00:00Z', 1, '2026-01-05T13:00:00Z')).to.deep.equal([
      '2026-01-06T12:00:00.000Z',
    ]);
    expect(fires(s, '2026-01-01T00:00:00Z', 0)).to.deep.equal([]);
  });
});

describe('schedule: describeSchedule', () => {
  const samples: [string, string, string | null, string][] = [
    ['every', '5m', null, 'every 5 minutes'],
    ['every', '1m', null, 'every minute'],
    ['every', '1h 30m', null, 'every 1 hour 30 minutes'],
    ['every', '30m1h', null, 'every 1 hour 30 minutes'],
    ['every', '500', null, 'every 500 milliseconds'],
    ['every', '1.5d', null, 'every 1.5 days'],
    ['in', '1h30m', null, 'once, 1 hour 30 minutes after creation'],
    ['in', '1M 2w', null, 'once, 1 month 2 weeks after creation'],
    ['at', '2026-01-02 16:53:14', 'Europe/Paris', 'at 2026-01-02 16:53:14 (Europe/Paris)'],
    ['at', '2026-01-02T16:53:14Z', 'Europe/Paris', 'at 2026-01-02 17:53:14 (Europe/Paris)'],
    [
      'cron',
      '30 21 * * Mon-Fri America/New_York',
      null,
      'At 09:30 PM, Monday through Friday (America/New_York)',
    ],
    ['cron', '*/15 * * * * *', 'UTC', 'Every 15 seconds (UTC)'],
    ['cron', '@daily', 'Europe/Paris', 'At 12:00 AM (Europe/Paris)'],
    ['cron', '0 0 * * FRI#L', 'UTC', 'At 12:00 AM, on the last Friday of the month (UTC)'],
    ['cron', '0 0 15W * *', 'UTC', 'At 12:00 AM, on the weekday nearest day 15 of the month (UTC)'],
  ];
  for (const [method, when, zone, expected] of samples) {
    it(`${method} '${when}' -> "${expected}"`, () => {
      expect(describeSchedule(parse(method, when, { timezone: zone }))).to.equal(expected);
    });
  }
});
