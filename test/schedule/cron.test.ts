import { expect } from 'chai';
import { cronFires, fires, ms, parse, parseErrors } from './helpers.js';

describe('schedule: cron', () => {
  it('5 fields: names, lists, ranges and steps', () => {
    expect(cronFires('30 21 * * Mon-Fri', 'UTC', '2026-01-02T22:00:00Z', 3)).to.deep.equal([
      '2026-01-05T21:30:00.000Z', // Friday 2nd is past 21:30; the weekend is skipped
      '2026-01-06T21:30:00.000Z',
      '2026-01-07T21:30:00.000Z',
    ]);
    expect(cronFires('0 9 1 Jan,Jul *', 'UTC', NOW_ISO, 2)).to.deep.equal([
      '2026-01-01T09:00:00.000Z',
      '2026-07-01T09:00:00.000Z',
    ]);
    expect(cronFires('*/20 8-9 * * *', 'UTC', NOW_ISO, 7)).to.deep.equal([
      '2026-01-01T08:00:00.000Z',
      '2026-01-01T08:20:00.000Z',
      '2026-01-01T08:40:00.000Z',
      '2026-01-01T09:00:00.000Z',
      '2026-01-01T09:20:00.000Z',
      '2026-01-01T09:40:00.000Z',
      '2026-01-02T08:00:00.000Z',
    ]);
    expect(cronFires('0 0 * * sun', 'UTC', NOW_ISO, 1)).to.deep.equal(['2026-01-04T00:00:00.000Z']);
    expect(cronFires('0 0 * * 7', 'UTC', NOW_ISO, 1)).to.deep.equal(['2026-01-04T00:00:00.000Z']);
  });

  it('6 fields: seconds first', () => {
    expect(cronFires('*/15 * * * * *', 'UTC', NOW_ISO, 3)).to.deep.equal([
      '2026-01-01T00:00:15.000Z',
      '2026-01-01T00:00:30.000Z',
      '2026-01-01T00:00:45.000Z',
    ]);
    expect(cronFires('30 0 9 * * *', 'UTC', NOW_ISO, 1)).to.deep.equal([
      '2026-01-01T09:00:30.000Z',
    ]);
  });

  it('L, # and W', () => {
    expect(cronFires('0 0 L * *', 'UTC', NOW_ISO, 3)).to.deep.equal([
      '2026-01-31T00:00:00.000Z',
      '2026-02-28T00:00:00.000Z',
      '2026-03-31T00:00:00.000Z',
    ]);
    expect(cronFires('0 0 * * 5#2', 'UTC', NOW_ISO, 2)).to.deep.equal([
      '2026-01-09T00:00:00.000Z',
      '2026-02-13T00:00:00.000Z',
    ]);
    expect(cronFires('0 0 * * FRI#L', 'UTC', NOW_ISO, 2)).to.deep.equal([
      '2026-01-30T00:00:00.000Z',
      '2026-02-27T00:00:00.000Z',
    ]);
    // 2026-02-15 and 2026-03-15 are Sundays: the nearest weekday is the Monday after.
    expect(cronFires('0 0 15W * *', 'UTC', NOW_ISO, 3)).to.deep.equal([
      '2026-01-15T00:00:00.000Z',
      '2026-02-16T00:00:00.000Z',
      '2026-03-16T00:00:00.000Z',
    ]);
    // The last weekday: Jan 31 and Feb 28 2026 are Saturdays.
    expect(cronFires('0 0 LW * *', 'UTC', NOW_ISO, 3)).to.deep.equal([
      '2026-01-30T00:00:00.000Z',
      '2026-02-27T00:00:00.000Z',
      '2026-03-31T00:00:00.000Z',
    ]);
  });

  it('day-of-month and day-of-week both restricted: either matches (Vixie cron)', () => {
    expect(cronFires('0 0 13 * Fri', 'UTC', NOW_ISO, 4)).to.deep.equal([
      '2026-01-02T00:00:00.000Z', // a Friday
      '2026-01-09T00:00:00.000Z', // a Friday
      '2026-01-13T00:00:00.000Z', // the 13th, a Tuesday
      '2026-01-16T00:00:00.000Z',
    ]);
    // A step counts as restricted (unlike Vixie cron, which treats a leading * as unrestricted).
    expect(cronFires('0 0 */2 * Fri', 'UTC', NOW_ISO, 3)).to.deep.equal([
      '2026-01-02T00:00:00.000Z', // a Friday
      '2026-01-03T00:00:00.000Z', // an odd day
      '2026-01-05T00:00:00.000Z',
    ]);
    // croner's + prefix asks for both: Friday the 13th.
    expect(cronFires('0 0 13 * +Fri', 'UTC', NOW_ISO, 2)).to.deep.equal([
      '2026-02-13T00:00:00.000Z',
      '2026-03-13T00:00:00.000Z',
    ]);
    // Only one restricted: that one alone decides.
    expect(cronFires('0 0 13 * *', 'UTC', NOW_ISO, 2)).to.deep.equal([
      '2026-01-13T00:00:00.000Z',
      '2026-02-13T00:00:00.000Z',
    ]);
  });

  const nicknames: [string, string[]][] = [
    ['@hourly', ['2026-01-01T01:00:00.000Z', '2026-01-01T02:00:00.000Z']],
    ['@daily', ['2026-01-02T00:00:00.000Z', '2026-01-03T00:00:00.000Z']],
    ['@midnight', ['2026-01-02T00:00:00.000Z', '2026-01-03T00:00:00.000Z']],
    ['@weekly', ['2026-01-04T00:00:00.000Z', '2026-01-11T00:00:00.000Z']],
    ['@monthly', ['2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z']],
    ['@yearly', ['2027-01-01T00:00:00.000Z', '2028-01-01T00:00:00.000Z']],
    ['@annually', ['2027-01-01T00:00:00.000Z', '2028-01-01T00:00:00.000Z']],
  ];
  for (const [nickname, expected] of nicknames) {
    it(`nickname ${nickname}`, () => {
      expect(cronFires(nickname, 'UTC', NOW_ISO, 2)).to.deep.equal(expected);
    });
  }

  it('first() and next() are strictly after the instant given, even on a match', () => {
    const s = parse('cron', '0 * * * *');
    expect(s.recurring).to.equal(true);
    expect(s.intervalMs).to.equal(null);
    expect(s.first(ms('2026-01-01T10:00:00Z'))).to.equal(ms('2026-01-01T11:00:00Z'));
    expect(s.next(ms('2026-01-01T10:00:00Z'))).to.equal(ms('2026-01-01T11:00:00Z'));
    expect(s.next(ms('2026-01-01T10:59:59.999Z'))).to.equal(ms('2026-01-01T11:00:00Z'));
  });

  it('computes in the task zone, defaulting to the daemon zone', () => {
    // 09:00 in Tokyo on 2026-01-01 is exactly NOW_ISO, so the first match strictly after is a day later.
    const tokyo = parse('cron', '0 9 * * *', { defaultTimezone: 'Asia/Tokyo' });
    expect(tokyo.timezone).to.equal('Asia/Tokyo');
    expect(tokyo.first(ms(NOW_ISO))).to.equal(ms('2026-01-02T00:00:00Z'));
    expect(cronFires('0 9 * * *', 'Europe/Paris', NOW_ISO, 1)).to.deep.equal([
      '2026-01-01T08:00:00.000Z',
    ]);
    expect(cronFires('0 9 * * *', 'Etc/GMT+5', NOW_ISO, 1)).to.deep.equal([
      '2026-01-01T14:00:00.000Z',
    ]);
  });

  describe('trailing zone', () => {
    it('is split off and used as the zone', () => {
      const s = parse('cron', ' 30 21  * * Mon-Fri   America/New_York ');
      expect(s.when).to.equal('30 21 * * Mon-Fri');
      expect(s.timezone).to.equal('America/New_York');
      expect(fires(s, '2026-01-05T00:00:00Z', 1)).to.deep.equal(['2026-01-06T02:30:00.000Z']);
    });

    it('works after a nickname and a 6-field expression', () => {
      expect(parse('cron', '@daily Europe/Paris').timezone).to.equal('Europe/Paris');
      expect(parse('cron', '@daily Europe/Paris').when).to.equal('@daily');
      const s = parse('cron', '0 30 9 * * * Asia/Tokyo');
      expect([s.when, s.timezone]).to.deep.equal(['0 30 9 * * *', 'Asia/Tokyo']);
      expect(s.first(ms(NOW_ISO))).to.equal(ms('2026-01-01T00:30:00Z'));
    });

    it('may repeat the explicit timezone', () => {
      const s = parse('cron', '0 9 * * * America/New_York', { timezone: 'America/New_York' });
      expect(s.timezone).to.equal('America/New_York');
      expect(parse('cron', '0 9 * * * UTC', { timezone: 'Etc/UTC' }).first(ms(NOW_ISO))).to.equal(
        ms('2026-01-01T09:00:00Z'),
      );
    });

    it('conflicting with an explicit different timezone is an error naming both', () => {
      expect(
        parseErrors('cron', '30 21 * * Mon-Fri America/New_York', { timezone: 'Europe/Paris' }),
      ).to.deep.equal([
        {
          field: 'timezone',
          message:
            "'Europe/Paris' differs from the zone 'America/New_York' at the end of schedule_when; give one zone or make them match",
        },
      ]);
    });

    it('that is not a zone is a timezone error', () => {
      expect(parseErrors('cron', '0 9 * * * Mars/Olympus')).to.deep.equal([
        {
          field: 'timezone',
          message: "'Mars/Olympus' is not an IANA time zone (e.g. Europe/Paris, UTC)",
        },
      ]);
    });
  });

  describe('DST (the rule written in docs/schedules.md)', () => {
    // Europe/Berlin: 02:00 CET -> 03:00 CEST on 2026-03-29; 03:00 CEST -> 02:00 CET on 2026-10-25.
    it('Europe/Berlin spring forward: a fixed time in the gap fires once, at 03:00', () => {
      expect(cronFires('30 2 * * *', 'Europe/Berlin', '2026-03-28T12:00:00Z', 2)).to.deep.equal([
        '2026-03-29T01:00:00.000Z', // 03:00 CEST
        '2026-03-30T00:30:00.000Z', // 02:30 CEST
      ]);
      expect(cronFires('30 2,14 * * *', 'Europe/Berlin', '2026-03-28T23:00:00Z', 2)).to.deep.equal([
        '2026-03-29T01:00:00.000Z',
        '2026-03-29T12:30:00.000Z',
      ]);
    });

    it('Europe/Berlin spring forward: an interval job skips the missing hour', () => {
      expect(cronFires('0 * * * *', 'Europe/Berlin', '2026-03-28T23:30:00Z', 3)).to.deep.equal([
        '2026-03-29T00:00:00.000Z', // 01:00 CET
        '2026-03-29T01:00:00.000Z', // 03:00 CEST (02:00 does not exist)
        '2026-03-29T02:00:00.000Z', // 04:00 CEST
      ]);
    });

    it('Europe/Berlin fall back: a fixed time fires once (first occurrence), an interval job twice', () => {
      expect(cronFires('30 2 * * *', 'Europe/Berlin', '2026-10-24T12:00:00Z', 2)).to.deep.equal([
        '2026-10-25T00:30:00.000Z', // 02:30 CEST
        '2026-10-26T01:30:00.000Z', // 02:30 CET
      ]);
      expect(cronFires('0 * * * *', 'Europe/Berlin', '2026-10-24T23:30:00Z', 3)).to.deep.equal([
        '2026-10-25T00:00:00.000Z', // 02:00 CEST
        '2026-10-25T01:00:00.000Z', // 02:00 CET
        '2026-10-25T02:00:00.000Z', // 03:00 CET
      ]);
    });

    // America/New_York: 02:00 EST -> 03:00 EDT on 2026-03-08; 02:00 EDT -> 01:00 EST on 2026-11-01.
    it('America/New_York spring forward', () => {
      expect(cronFires('30 2 * * *', 'America/New_York', '2026-03-07T12:00:00Z', 2)).to.deep.equal([
        '2026-03-08T07:00:00.000Z', // 03:00 EDT
        '2026-03-09T06:30:00.000Z', // 02:30 EDT
      ]);
      expect(cronFires('0 * * * *', 'America/New_York', '2026-03-08T06:30:00Z', 2)).to.deep.equal([
        '2026-03-08T07:00:00.000Z', // 03:00 EDT (02:00 does not exist)
        '2026-03-08T08:00:00.000Z',
      ]);
    });

    it('America/New_York fall back', () => {
      expect(cronFires('30 1 * * *', 'America/New_York', '2026-10-31T12:00:00Z', 2)).to.deep.equal([
        '2026-11-01T05:30:00.000Z', // 01:30 EDT only
        '2026-11-02T06:30:00.000Z', // 01:30 EST
      ]);
      expect(cronFires('0 * * * *', 'America/New_York', '2026-11-01T04:30:00Z', 3)).to.deep.equal([
        '2026-11-01T05:00:00.000Z', // 01:00 EDT
        '2026-11-01T06:00:00.000Z', // 01:00 EST
        '2026-11-01T07:00:00.000Z', // 02:00 EST
      ]);
      // A step makes it an interval job: both 01:30s fire. A list stays fixed-time: once each.
      expect(
        cronFires('*/30 1 * * *', 'America/New_York', '2026-11-01T04:30:00Z', 4),
      ).to.deep.equal([
        '2026-11-01T05:00:00.000Z',
        '2026-11-01T05:30:00.000Z',
        '2026-11-01T06:00:00.000Z',
        '2026-11-01T06:30:00.000Z',
      ]);
      expect(
        cronFires('0,30 1 * * *', 'America/New_York', '2026-11-01T04:30:00Z', 3),
      ).to.deep.equal([
        '2026-11-01T05:00:00.000Z',
        '2026-11-01T05:30:00.000Z',
        '2026-11-02T06:00:00.000Z',
      ]);
    });
  });

  it('arms no timers (croner is only a calculator)', () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const s = parse('cron', '* * * * * *');
    s.next(ms(NOW_ISO));
    expect(timers()).to.equal(before);
  });

  const cronReason = (when: string, reason: string) => [
    { field: 'schedule_when', message: `'${when}' for cron: ${reason}` },
  ];
  const rejections: [string, string][] = [
    ['61 * * * *', 'invalid value for minute: 61'],
    ['0 25 * * *', 'invalid value for hour: 25'],
    ['0 0 * * Foo', 'configuration entry 5 (Foo) contains illegal characters.'],
    [
      '5/10 * * * *',
      "syntax error, stepping with numeric prefix ('5/10') is not allowed. Use wildcard (*/step) or range (min-max/step) instead.",
    ],
    [
      '* * *',
      'expected 5 or 6 fields (minute hour day-of-month month day-of-week, optionally preceded by seconds), got 3',
    ],
    [
      '0 0 0 1 1 * 2027',
      'expected 5 or 6 fields (minute hour day-of-month month day-of-week, optionally preceded by seconds), got 7',
    ],
    [
      '@reboot',
      'unknown nickname; use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly',
    ],
    ['0 0 30 2 *', 'the expression never matches a date (e.g. 30 February)'],
    ['2026-01-01T00:00:00', "':' is not allowed in cron; for a date and time use method at"],
  ];
  for (const [when, reason] of rejections) {
    it(`rejects '${when}' with croner's reason`, () => {
      expect(parseErrors('cron', when)).to.deep.equal(cronReason(when, reason));
    });
  }
});

const NOW_ISO = '2026-01-01T00:00:00Z';
