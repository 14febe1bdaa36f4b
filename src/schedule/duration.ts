// Durations for `in` and `every`: `30s`, `1h30m`, `1h 30m`, `1.5h`, or a bare number of
// milliseconds (as in Taskr). Units are case-sensitive: `m` is minutes, `M` is 30 days.
import { whenError } from './messages.js';

export const DURATION_UNITS = {
  y: 365 * 86_400_000,
  M: 30 * 86_400_000,
  w: 7 * 86_400_000,
  d: 86_400_000,
  h: 3_600_000,
  m: 60_000,
  s: 1_000,
  ms: 1,
} as const;
export type DurationUnit = keyof typeof DURATION_UNITS;

export interface DurationPart {
  value: number;
  unit: DurationUnit;
}

/** The longest duration accepted; beyond it M and y approximations stop meaning anything. */
export const MAX_DURATION_MS = 100 * DURATION_UNITS.y;

const UNIT_LIST = 'use ms, s, m, h, d, w, M, y';
const BARE_NUMBER = /^\d+(?:\.\d+)?$/;
// One part: a number, optional spaces, then letters (possibly none, caught below).
const PART = /\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)/y;

function isUnit(text: string): text is DurationUnit {
  return Object.hasOwn(DURATION_UNITS, text);
}

/** Splits a duration into its parts, in input order; throws ValidationError on `schedule_when`. */
export function parseDurationParts(text: string, method: 'in' | 'every'): DurationPart[] {
  const input = text.trim();
  const fail = (reason: string) => whenError(input, method, reason);
  if (input === '') throw fail('a duration is required, e.g. 30s, 5m, 1h30m');
  if (input.startsWith('-')) throw fail('the duration must be positive');
  if (BARE_NUMBER.test(input)) return [{ value: Number(input), unit: 'ms' }];
  const parts: DurationPart[] = [];
  PART.lastIndex = 0;
  while (PART.lastIndex < input.length) {
    const match = PART.exec(input);
    if (!match) throw fail('not a duration; use a number and a unit, e.g. 30s, 5m, 1h30m, 500ms');
    const [, number, unit] = match as unknown as [string, string, string];
    if (unit === '') throw fail(`'${number}' has no unit; ${UNIT_LIST}`);
    if (!isUnit(unit)) throw fail(`unknown unit '${unit}'; ${UNIT_LIST}`);
    parts.push({ value: Number(number), unit });
  }
  return parts;
}

/** A duration in whole milliseconds (rounded); throws ValidationError on `schedule_when`. */
export function parseDuration(text: string, method: 'in' | 'every'): number {
  const parts = parseDurationParts(text, method);
  const ms = Math.round(parts.reduce((sum, p) => sum + p.value * DURATION_UNITS[p.unit], 0));
  if (!(ms >= 1)) throw whenError(text.trim(), method, 'the duration must be at least 1ms');
  if (ms > MAX_DURATION_MS)
    throw whenError(text.trim(), method, 'the duration is too long; at most 100y');
  return ms;
}
