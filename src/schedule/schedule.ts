// Taskr's schedules as pure functions: parse (method, when, timezone) once, then ask the
// parsed schedule for fire instants. Nothing here reads the clock or arms timers; `now`
// and anchors are always passed in.
import { SCHEDULE_METHODS, type ScheduleMethod } from '../domain/types.js';
import { ValidationError, type FieldError } from '../errors.js';
import { parseAt } from './at.js';
import { compileCron, cronAfter, splitTrailingZone } from './cron.js';
import { parseDuration } from './duration.js';
import {
  METHOD_FIELD,
  TIMEZONE_FIELD,
  WHEN_FIELD,
  isoInstant,
  whenFieldError,
  zoneFieldError,
} from './messages.js';
import { isValidTimezone, sameTimezone } from './timezone.js';

export { describeSchedule } from './describe.js';
export { parseDuration } from './duration.js';
export { isValidTimezone } from './timezone.js';

export interface ParsedSchedule {
  method: ScheduleMethod;
  /** Normalised input (trimmed; cron with single spaces and without the trailing zone). */
  when: string;
  /** Effective IANA zone. */
  timezone: string;
  /** every/cron. */
  recurring: boolean;
  /** in/every. */
  intervalMs: number | null;
  /** First fire instant (ms) for a schedule (re)started at anchorMs: in -> anchor+d; every -> anchor+interval;
   *  at -> the instant (even if <= anchor; caller decides); cron -> first match strictly after anchorMs. */
  first(anchorMs: number): number | null;
  /** The occurrence after scheduled instant prevMs: in/at -> null; every -> prev+interval; cron -> next match strictly after prevMs. */
  next(prevMs: number): number | null;
}

export interface ParseOptions {
  /** The task's own zone; null/undefined/blank means the daemon's (or the cron's trailing zone). */
  timezone?: string | null;
  defaultTimezone: string;
  now: number;
  /** Reject an `at` instant before `now`. */
  rejectPast?: boolean;
}

/** Inputs longer than this are rejected before parsing (and never echoed whole). */
const MAX_WHEN_LENGTH = 256;

/** Parses a schedule; throws one ValidationError holding every method/when/timezone error. */
export function parseSchedule(method: unknown, when: unknown, opts: ParseOptions): ParsedSchedule {
  const errors: FieldError[] = [];
  const m = checkMethod(method, errors);
  const text = checkWhen(when, errors);
  const explicitZone = checkExplicitZone(opts.timezone, errors);
  let parsed: ParsedSchedule | null = null;
  if (m !== null && text !== null) {
    try {
      parsed = build(m, text, explicitZone, opts, errors);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      errors.push(...err.errors);
    }
  }
  if (errors.length > 0 || parsed === null) throw new ValidationError(errors);
  return parsed;
}

function checkMethod(method: unknown, errors: FieldError[]): ScheduleMethod | null {
  const text = typeof method === 'string' ? method.trim().toLowerCase() : method;
  if (text === undefined || text === null || text === '') {
    errors.push({ field: METHOD_FIELD, message: "can't be blank" });
    return null;
  }
  if (typeof text === 'string' && (SCHEDULE_METHODS as readonly string[]).includes(text)) {
    return text as ScheduleMethod;
  }
  const shown = typeof method === 'string' ? method.trim().slice(0, 40) : String(method);
  errors.push({
    field: METHOD_FIELD,
    message: `'${shown}' is not allowed; use in, every, at or cron`,
  });
  return null;
}

function checkWhen(when: unknown, errors: FieldError[]): string | null {
  // A JSON number is a bare duration in milliseconds, as in Taskr.
  const text = typeof when === 'number' && Number.isFinite(when) ? String(when) : when;
  if (text === undefined || text === null || (typeof text === 'string' && text.trim() === '')) {
    errors.push({ field: WHEN_FIELD, message: "can't be blank" });
    return null;
  }
  if (typeof text !== 'string') {
    errors.push({ field: WHEN_FIELD, message: `must be text, not ${typeof text}` });
    return null;
  }
  if (text.length > MAX_WHEN_LENGTH) {
    errors.push({
      field: WHEN_FIELD,
      message: `is too long (at most ${MAX_WHEN_LENGTH} characters)`,
    });
    return null;
  }
  return text.trim();
}

function checkExplicitZone(zone: unknown, errors: FieldError[]): string | null {
  if (zone === undefined || zone === null || (typeof zone === 'string' && zone.trim() === ''))
    return null;
  if (typeof zone === 'string' && isValidTimezone(zone.trim())) return zone.trim();
  errors.push(zoneFieldError(String(zone).slice(0, 64)));
  return null;
}

function build(
  method: ScheduleMethod,
  when: string,
  explicitZone: string | null,
  opts: ParseOptions,
  errors: FieldError[],
): ParsedSchedule | null {
  if (method === 'cron') return buildCron(when, explicitZone, opts, errors);
  const timezone = effectiveZone(explicitZone ?? opts.defaultTimezone, errors);
  if (method === 'at') return buildAt(when, timezone, opts, errors);
  const intervalMs = parseDuration(when, method);
  const recurring = method === 'every';
  return Object.freeze({
    method,
    when,
    timezone,
    recurring,
    intervalMs,
    first: (anchorMs: number) => anchorMs + intervalMs,
    next: recurring ? (prevMs: number) => prevMs + intervalMs : () => null,
  });
}

/** The zone to compute in; an invalid one is reported and UTC stands in so `when` is still checked. */
function effectiveZone(zone: string, errors: FieldError[]): string {
  if (isValidTimezone(zone)) return zone;
  if (!errors.some((e) => e.field === TIMEZONE_FIELD)) errors.push(zoneFieldError(zone));
  return 'UTC';
}

function buildAt(
  when: string,
  timezone: string,
  opts: ParseOptions,
  errors: FieldError[],
): ParsedSchedule {
  const instant = parseAt(when, timezone);
  if (opts.rejectPast && instant < opts.now) {
    errors.push(
      whenFieldError(when, 'at', `the time is in the past (now ${isoInstant(opts.now)})`),
    );
  }
  return Object.freeze({
    method: 'at' as const,
    when,
    timezone,
    recurring: false,
    intervalMs: null,
    first: () => instant,
    next: () => null,
  });
}

function buildCron(
  when: string,
  explicitZone: string | null,
  opts: ParseOptions,
  errors: FieldError[],
): ParsedSchedule {
  const { expr, zone: trailing } = splitTrailingZone(when);
  let zone = explicitZone ?? opts.defaultTimezone;
  if (trailing !== null) {
    if (!isValidTimezone(trailing)) {
      errors.push(zoneFieldError(trailing));
    } else if (explicitZone !== null && !sameTimezone(explicitZone, trailing)) {
      errors.push({
        field: TIMEZONE_FIELD,
        message: `'${explicitZone}' differs from the zone '${trailing}' at the end of schedule_when; give one zone or make them match`,
      });
    } else {
      zone = explicitZone ?? trailing;
    }
  }
  const timezone = effectiveZone(zone, errors);
  const cron = compileCron(expr, timezone, opts.now);
  const after = (ms: number) => cronAfter(cron, ms);
  return Object.freeze({
    method: 'cron' as const,
    when: expr,
    timezone,
    recurring: true,
    intervalMs: null,
    first: after,
    next: after,
  });
}

/** Next n fire instants strictly after `from` (for one-shots: the single instant if after from, given anchor). */
export function nextFireTimes(
  schedule: ParsedSchedule,
  from: Date,
  n: number,
  anchor?: Date,
): Date[] {
  const fromMs = from.getTime();
  const anchorMs = anchor?.getTime() ?? fromMs;
  if (!Number.isFinite(fromMs) || !Number.isFinite(anchorMs))
    throw new RangeError('nextFireTimes: invalid date');
  const out: Date[] = [];
  let t = firstAfter(schedule, fromMs, anchorMs);
  while (t !== null && out.length < n) {
    out.push(new Date(t));
    t = schedule.next(t);
  }
  return out;
}

/** The first instant of the series started at anchorMs that falls strictly after fromMs. */
function firstAfter(schedule: ParsedSchedule, fromMs: number, anchorMs: number): number | null {
  // A cron series does not depend on where it started, only on the later of anchor and from.
  if (schedule.method === 'cron') return schedule.first(Math.max(fromMs, anchorMs));
  const t = schedule.first(anchorMs);
  if (t === null || t > fromMs) return t;
  if (schedule.method !== 'every' || schedule.intervalMs === null) return null;
  // Skip whole intervals arithmetically: an old anchor must not mean millions of next() calls.
  const skipped = Math.floor((fromMs - t) / schedule.intervalMs) + 1;
  return t + skipped * schedule.intervalMs;
}
