// Plain-English schedule descriptions for the dashboard. Descriptions are display text
// only: nothing parses them back.
import cronstrue from 'cronstrue';
import { DateTime } from 'luxon';
import { CRON_NICKNAMES } from './cron.js';
import {
  DURATION_UNITS,
  parseDurationParts,
  type DurationPart,
  type DurationUnit,
} from './duration.js';
import type { ParsedSchedule } from './schedule.js';

const UNIT_NAMES: Record<DurationUnit, string> = {
  y: 'year',
  M: 'month',
  w: 'week',
  d: 'day',
  h: 'hour',
  m: 'minute',
  s: 'second',
  ms: 'millisecond',
};

/** "every 5 minutes", "once, 1 hour 30 minutes after creation", "at 2026-01-02 16:53:14 (UTC)", cron via cronstrue. */
export function describeSchedule(schedule: ParsedSchedule): string {
  switch (schedule.method) {
    case 'in':
      return `once, ${describeDuration(schedule.when, 'in')} after creation`;
    case 'every': {
      const parts = mergedParts(schedule.when, 'every');
      const single = parts.length === 1 && parts[0]!.value === 1;
      return single ? `every ${UNIT_NAMES[parts[0]!.unit]}` : `every ${phrase(parts)}`;
    }
    case 'at':
      return `at ${describeInstant(schedule.first(0), schedule.timezone)} (${schedule.timezone})`;
    case 'cron':
      return `${describeCron(schedule.when)} (${schedule.timezone})`;
  }
}

/** "1 hour 30 minutes" for `1h30m`; units merged and ordered largest first, as written otherwise. */
export function describeDuration(when: string, method: 'in' | 'every'): string {
  return phrase(mergedParts(when, method));
}

function mergedParts(when: string, method: 'in' | 'every'): DurationPart[] {
  const totals = new Map<DurationUnit, number>();
  for (const p of parseDurationParts(when, method))
    totals.set(p.unit, (totals.get(p.unit) ?? 0) + p.value);
  const order = Object.keys(DURATION_UNITS) as DurationUnit[];
  return order.filter((u) => totals.has(u)).map((unit) => ({ unit, value: totals.get(unit)! }));
}

function phrase(parts: DurationPart[]): string {
  return parts.map((p) => `${p.value} ${UNIT_NAMES[p.unit]}${p.value === 1 ? '' : 's'}`).join(' ');
}

function describeInstant(ms: number | null, zone: string): string {
  if (ms === null) return 'never';
  const dt = DateTime.fromMillis(ms, { zone });
  return dt.toFormat(dt.millisecond === 0 ? 'yyyy-MM-dd HH:mm:ss' : 'yyyy-MM-dd HH:mm:ss.SSS');
}

/** cronstrue's sentence; croner-only syntax is rewritten into cronstrue's equivalent first. */
export function describeCron(expr: string): string {
  const expanded = CRON_NICKNAMES[expr.toLowerCase()] ?? expr;
  // croner writes "last Friday" as FRI#L or 5#L and AND-mode as +MON; cronstrue knows 5L / MON.
  const forCronstrue = expanded.replace(/#L\b/gi, 'L').replace(/(^|\s)\+/g, '$1');
  try {
    return cronstrue.toString(forCronstrue, { throwExceptionOnParseError: true, locale: 'en' });
  } catch {
    return `cron '${expr}'`;
  }
}
