// Cron expressions, computed by croner used as a pure calculator: one paused Cron object per
// parsed schedule (never started, so croner arms no timers), asked for nextRun(after).
import { Cron, type CronOptions } from 'croner';
import { whenError } from './messages.js';
import { fixedOffsetMinutes, isValidTimezone } from './timezone.js';

export const CRON_NICKNAMES: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/**
 * The same options for every task, so an expression means one thing everywhere:
 * - `mode` 5 or 6 fields (seconds first); croner's 7th year field is not Taskr's grammar.
 * - `domAndDow: false` is Vixie cron: when day-of-month and day-of-week are both restricted
 *   (neither is `*`), a day matching either fires. (`legacyMode` is its deprecated inverse.)
 * - `fixedTimeRule: 'no-wildcard'`: a job whose second, minute and hour fields hold no `*` and no
 *   step (`30 2 * * *`, `30 2,14 * * *`) is a fixed-time job for DST, as in Vixie cron.
 */
const CRON_OPTIONS: CronOptions = Object.freeze({
  paused: true,
  mode: '5-or-6-parts',
  domAndDow: false,
  fixedTimeRule: 'no-wildcard',
});

// An area/location zone name such as America/New_York or Etc/GMT+5 (a cron field never looks so).
const ZONE_SHAPE = /^[A-Za-z_]{2,}\/[A-Za-z]/;
const FIELD_HELP = 'minute hour day-of-month month day-of-week, optionally preceded by seconds';

export interface CronSplit {
  /** The expression with single spaces and without the trailing zone. */
  expr: string;
  /** The trailing zone as written, or null; may be invalid (the caller reports it). */
  zone: string | null;
}

/** Splits `30 21 * * Mon-Fri America/New_York` into expression and zone. */
export function splitTrailingZone(when: string): CronSplit {
  const tokens = when.trim().split(/\s+/);
  const last = tokens[tokens.length - 1]!;
  if (tokens.length >= 2 && (isValidTimezone(last) || ZONE_SHAPE.test(last))) {
    return { expr: tokens.slice(0, -1).join(' '), zone: last };
  }
  return { expr: tokens.join(' '), zone: null };
}

/** A paused croner object for `expr` in `zone`; throws ValidationError on `schedule_when`. */
export function compileCron(expr: string, zone: string, now: number): Cron {
  const fail = (reason: string) => whenError(expr, 'cron', reason);
  checkShape(expr, fail);
  let cron: Cron;
  try {
    const offset = fixedOffsetMinutes(zone);
    const where = offset === null ? { timezone: zone } : { utcOffset: offset };
    cron = new Cron(expr, { ...CRON_OPTIONS, ...where });
  } catch (err) {
    throw fail(cronerReason(err));
  }
  if (cronAfter(cron, now) === null)
    throw fail('the expression never matches a date (e.g. 30 February)');
  return cron;
}

/** The first match strictly after `afterMs`, or null when there is none. */
export function cronAfter(cron: Cron, afterMs: number): number | null {
  const next = cron.nextRun(new Date(afterMs));
  return next === null ? null : next.getTime();
}

function checkShape(expr: string, fail: (reason: string) => Error): void {
  // croner would read a string with ':' as a one-shot date, not a pattern.
  if (expr.includes(':'))
    throw fail("':' is not allowed in cron; for a date and time use method at");
  if (expr.startsWith('@')) {
    if (!Object.hasOwn(CRON_NICKNAMES, expr.toLowerCase())) {
      const names = Object.keys(CRON_NICKNAMES);
      throw fail(`unknown nickname; use ${names.slice(0, -1).join(', ')} or ${names.at(-1)}`);
    }
    return;
  }
  const count = expr.split(' ').length;
  if (count !== 5 && count !== 6)
    throw fail(`expected 5 or 6 fields (${FIELD_HELP}), got ${count}`);
}

/** croner's message without its class prefix, e.g. `invalid value for minute: 61`. */
function cronerReason(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const reason = text.replace(/^Cron\w*:\s*/, '');
  return reason.charAt(0).toLowerCase() + reason.slice(1);
}
