import { expect } from 'chai';
import { ms, parse, parseErrors } from './helpers.js';

/** The instant `when` names for `at`, in the task zone `zone`, as ISO. */
function at(when: string, zone = 'Europe/Paris'): string {
  const s = parse('at', when, { timezone: zone });
  return new Date(s.first(0)!).toISOString();
}

describe('schedule: at', () => {
  it('reads ISO 8601 with Z or an offset, honouring the offset over the task zone', () => {
    expect(at('2026-01-02T16:53:14Z')).to.equal('2026-01-02T16:53:14.000Z');
    expect(at('2026-01-02T16:53:14+01:00', 'America/New_York')).to.equal(
      '2026-01-02T15:53:14.000Z',
    );
    expect(at('2026-01-02T16:53:14-0500')).to.equal('2026-01-02T21:53:14.000Z');
    expect(at('2026-01-02T16:53:14.250Z')).to.equal('2026-01-02T16:53:14.250Z');
  });

  it('reads ISO 8601 without an offset in the task zone', () => {
    expect(at('2026-01-02T16:53:14', 'Europe/Paris')).to.equal('2026-01-02T15:53:14.000Z');
    expect(at('2026-07-02T16:53:14', 'Europe/Paris')).to.equal('2026-07-02T14:53:14.000Z');
    expect(at('2026-01-02T16:53:14', 'America/New_York')).to.equal('2026-01-02T21:53:14.000Z');
    expect(at('2026-01-02', 'UTC')).to.equal('2026-01-02T00:00:00.000Z');
  });

  it('reads 2008-01-02 16:53:14 and 2008-01-02 16:53 in the task zone', () => {
    expect(at('2008-01-02 16:53:14', 'Europe/Paris')).to.equal('2008-01-02T15:53:14.000Z');
    expect(at('2008-01-02 16:53', 'Europe/Paris')).to.equal('2008-01-02T15:53:00.000Z');
    expect(at('2008-01-02 16:53', 'Asia/Tokyo')).to.equal('2008-01-02T07:53:00.000Z');
  });

  it('reads RFC 2822, honouring its offset', () => {
    expect(at('Wed, 02 Jan 2008 16:53:14 -0500')).to.equal('2008-01-02T21:53:14.000Z');
    expect(at('Wed, 02 Jan 2008 16:53:14 GMT', 'Asia/Tokyo')).to.equal('2008-01-02T16:53:14.000Z');
    expect(at('02 Jan 2008 16:53:14 +0100')).to.equal('2008-01-02T15:53:14.000Z');
  });

  it("reads Ruby's Time#to_s form, as Taskr documents it", () => {
    expect(at('Wed Jan 02 16:53:14 -0500 2008')).to.equal('2008-01-02T21:53:14.000Z');
    expect(at('Wed Jan 02 16:53:14 UTC 2008', 'Asia/Tokyo')).to.equal('2008-01-02T16:53:14.000Z');
  });

  it('a wall time in a DST gap moves forward by the gap; a repeated one is its first occurrence', () => {
    // Europe/Berlin: 02:00 -> 03:00 on 2026-03-29; 03:00 -> 02:00 on 2026-10-25.
    expect(at('2026-03-29 02:30', 'Europe/Berlin')).to.equal('2026-03-29T01:30:00.000Z');
    expect(at('2026-10-25 02:30', 'Europe/Berlin')).to.equal('2026-10-25T00:30:00.000Z');
    expect(at('2026-10-25 03:30', 'Europe/Berlin')).to.equal('2026-10-25T02:30:00.000Z');
    // America/New_York: 02:00 -> 03:00 on 2026-03-08; 02:00 -> 01:00 on 2026-11-01.
    expect(at('2026-03-08 02:30', 'America/New_York')).to.equal('2026-03-08T07:30:00.000Z');
    expect(at('2026-11-01 01:30', 'America/New_York')).to.equal('2026-11-01T05:30:00.000Z');
  });

  it('is a one-shot: first() is the instant whatever the anchor, next() is null', () => {
    const s = parse('at', '2026-01-02T16:53:14Z');
    expect(s.recurring).to.equal(false);
    expect(s.intervalMs).to.equal(null);
    expect(s.first(ms('2026-01-01T00:00:00Z'))).to.equal(ms('2026-01-02T16:53:14Z'));
    expect(s.first(ms('2027-01-01T00:00:00Z'))).to.equal(ms('2026-01-02T16:53:14Z'));
    expect(s.next(ms('2026-01-02T16:53:14Z'))).to.equal(null);
  });

  it('rejects a past time only when asked, naming now', () => {
    const opts = { now: ms('2026-05-01T12:00:00Z'), timezone: 'UTC' };
    expect(parse('at', '2008-01-02 16:53:14', opts).first(0)).to.equal(ms('2008-01-02T16:53:14Z'));
    expect(parseErrors('at', '2008-01-02 16:53:14', { ...opts, rejectPast: true })).to.deep.equal([
      {
        field: 'schedule_when',
        message: "'2008-01-02 16:53:14' for at: the time is in the past (now 2026-05-01T12:00:00Z)",
      },
    ]);
    expect(parse('at', '2026-05-01 12:00:00', { ...opts, rejectPast: true }).first(0)).to.equal(
      ms('2026-05-01T12:00:00Z'),
    );
  });

  const FORMS =
    'use ISO 8601 (2026-01-02T16:53:14Z), RFC 2822 (Wed, 02 Jan 2008 16:53:14 -0500) or 2026-01-02 16:53:14';
  const rejections: [string, string][] = [
    ['tomorrow', `'tomorrow' for at: not a date and time; ${FORMS}`],
    ['1/2/2008', `'1/2/2008' for at: not a date and time; ${FORMS}`],
    [
      '2026-02-30 10:00',
      "'2026-02-30 10:00' for at: no such date or time (day 30 is out of range)",
    ],
    [
      '2026-13-01T00:00:00Z',
      "'2026-13-01T00:00:00Z' for at: no such date or time (month 13 is out of range)",
    ],
    [
      '2026-01-01T24:00:00',
      "'2026-01-01T24:00:00' for at: no such time (hour 24 is out of range; use 00:00 of the next day)",
    ],
    [
      '2026-01-01T10:00:00+15:00',
      "'2026-01-01T10:00:00+15:00' for at: '+15:00' is not a UTC offset; use Z or -14:00 to +14:00",
    ],
    [
      'Thu, 02 Jan 2008 16:53:14 -0500',
      "'Thu, 02 Jan 2008 16:53:14 -0500' for at: 2008-01-02 is a Wednesday, not a Thursday",
    ],
    [
      'Thu Jan 02 16:53:14 -0500 2008',
      "'Thu Jan 02 16:53:14 -0500 2008' for at: 2008-01-02 is a Wednesday, not a Thursday",
    ],
    [
      'Wed Foo 02 16:53:14 -0500 2008',
      "'Wed Foo 02 16:53:14 -0500 2008' for at: unknown month 'Foo'; use Jan to Dec",
    ],
  ];
  for (const [when, message] of rejections) {
    it(`rejects '${when}'`, () => {
      expect(parseErrors('at', when)).to.deep.equal([{ field: 'schedule_when', message }]);
    });
  }
});
