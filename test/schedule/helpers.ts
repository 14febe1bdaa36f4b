// Test helpers for the schedule module: literal ISO instants in, ISO strings out.
import { expect } from 'chai';
import { ValidationError, type FieldError } from '../../src/errors.js';
import {
  nextFireTimes,
  parseSchedule,
  type ParseOptions,
  type ParsedSchedule,
} from '../../src/schedule/schedule.js';

export const NOW = '2026-01-01T00:00:00Z';

export function ms(iso: string): number {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`bad test instant ${iso}`);
  return t;
}

export function parse(
  method: unknown,
  when: unknown,
  opts: Partial<ParseOptions> = {},
): ParsedSchedule {
  return parseSchedule(method, when, { defaultTimezone: 'UTC', now: ms(NOW), ...opts });
}

/** The field errors `fn` throws; fails the test unless it throws a ValidationError. */
export function fieldErrors(fn: () => unknown): FieldError[] {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(ValidationError);
    return [...(err as ValidationError).errors];
  }
  throw new Error('expected a ValidationError, but nothing was thrown');
}

/** The errors parseSchedule raises for these inputs. */
export function parseErrors(
  method: unknown,
  when: unknown,
  opts: Partial<ParseOptions> = {},
): FieldError[] {
  return fieldErrors(() => parse(method, when, opts));
}

/** n fire instants strictly after `from`, as ISO strings. */
export function fires(
  schedule: ParsedSchedule,
  from: string,
  n: number,
  anchor?: string,
): string[] {
  const a = anchor === undefined ? undefined : new Date(ms(anchor));
  return nextFireTimes(schedule, new Date(ms(from)), n, a).map((d) => d.toISOString());
}

/** A cron's fire instants strictly after `from`, in `zone`. */
export function cronFires(when: string, zone: string, from: string, n: number): string[] {
  return fires(parse('cron', when, { timezone: zone }), from, n);
}
