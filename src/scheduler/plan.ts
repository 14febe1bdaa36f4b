// PURE: decides what a due task fires now. No clock, no store: the caller passes `now`.
// Invariants: nothing earlier than nextTriggerAt is ever fired again (nextTriggerAt only
// moves forward, to the first occurrence > now), and nothing later than `now` fires.
import type { MisfirePolicy } from '../domain/types.js';

/** The part of ParsedSchedule (src/schedule/schedule.ts) the planner needs. */
export interface PlanSchedule {
  recurring: boolean;
  intervalMs: number | null;
  first(anchorMs: number): number | null;
  next(prevMs: number): number | null;
}

export interface PlanInput {
  schedule: PlanSchedule;
  /** The stored next occurrence; the planner is only called once it is <= now. */
  nextTriggerAt: number;
  misfire: MisfirePolicy;
  misfireThresholdMs: number;
  oneShotGraceMs: number;
  runAllCap: number;
}

export interface PlannedFire {
  scheduledFor: number;
  trigger: 'schedule' | 'catch_up';
}

export interface PlannedMissed {
  /** The first missed instant (the claim key of the missed row). */
  scheduledFor: number;
  count: number;
  lastMissed: number;
  /** True when enumeration hit the safety cap: at least `count` were missed. */
  atLeast?: boolean;
}

export interface Plan {
  fire: PlannedFire[];
  missed: PlannedMissed | null;
  /** First occurrence > now; null when the schedule has ended (one-shots expire). */
  nextTriggerAt: number | null;
}

/**
 * Missed occurrences enumerated one by one (cron) stop at this many, then the plan skips to
 * the most recent ones and reports the count as "at least". A cron next() costs ~20 µs, so
 * the cap bounds one task's plan to ~0.2 s even with the clock years ahead.
 */
export const ENUMERATION_CAP = 10_000;

/** The missed occurrences of one plan, oldest first; `tail` keeps only the most recent ones. */
interface MissedSet {
  count: number;
  first: number | null;
  tail: number[];
  atLeast: boolean;
}

export function planDue(input: PlanInput, now: number): Plan {
  if (input.nextTriggerAt > now)
    return { fire: [], missed: null, nextTriggerAt: input.nextTriggerAt };
  return input.schedule.recurring ? planRecurring(input, now) : planOneShot(input, now);
}

function planOneShot(input: PlanInput, now: number): Plan {
  const due = input.nextTriggerAt;
  const late = now - due;
  if (late <= input.oneShotGraceMs) {
    const trigger = late <= input.misfireThresholdMs ? 'schedule' : 'catch_up';
    return { fire: [{ scheduledFor: due, trigger }], missed: null, nextTriggerAt: null };
  }
  return {
    fire: [],
    missed: { scheduledFor: due, count: 1, lastMissed: due },
    nextTriggerAt: null,
  };
}

function planRecurring(input: PlanInput, now: number): Plan {
  // Occurrences before `cutoff` are missed; those in [cutoff, now] are on time.
  const cutoff = now - input.misfireThresholdMs;
  // One more than used, so the missed record can name its own last instant.
  const keep = (input.misfire === 'run_all' ? input.runAllCap : 1) + 1;
  const interval = input.schedule.intervalMs;
  const { missed, onTime, nextTriggerAt } =
    interval !== null && interval > 0
      ? countArithmetic(input.nextTriggerAt, interval, cutoff, now, keep)
      : enumerate(input.schedule, input.nextTriggerAt, cutoff, now, keep);
  const fire: PlannedFire[] = [];
  let caught: number[] = [];
  if (input.misfire === 'run_all') caught = missed.tail.slice(-input.runAllCap);
  // run_once catches up only when nothing fires on time in this same plan.
  if (input.misfire === 'run_once' && onTime.length === 0) caught = missed.tail.slice(-1);
  for (const o of caught) fire.push({ scheduledFor: o, trigger: 'catch_up' });
  for (const o of onTime) fire.push({ scheduledFor: o, trigger: 'schedule' });
  // Whatever was not caught up becomes one missed record, so history shows every occurrence.
  const rest = missed.count - caught.length;
  let missedRecord: PlannedMissed | null = null;
  if (rest > 0 && missed.first !== null) {
    const last = missed.tail[missed.tail.length - caught.length - 1] ?? missed.first;
    missedRecord = { scheduledFor: missed.first, count: rest, lastMissed: last };
    if (missed.atLeast) missedRecord.atLeast = true;
  }
  return { fire, missed: missedRecord, nextTriggerAt };
}

interface Enumerated {
  missed: MissedSet;
  onTime: number[];
  nextTriggerAt: number | null;
}

/** Fixed intervals: count without iterating, so a clock years ahead costs nothing. */
function countArithmetic(
  start: number,
  interval: number,
  cutoff: number,
  now: number,
  keep: number,
): Enumerated {
  const total = Math.floor((now - start) / interval) + 1; // occurrences in [start, now]
  // Occurrences strictly before cutoff: k with start + k*interval < cutoff.
  const missedCount = cutoff > start ? Math.min(total, Math.ceil((cutoff - start) / interval)) : 0;
  const tailFrom = Math.max(0, missedCount - keep);
  const tail: number[] = [];
  for (let k = tailFrom; k < missedCount; k++) tail.push(start + k * interval);
  const onTime: number[] = [];
  for (let k = missedCount; k < total; k++) onTime.push(start + k * interval);
  return {
    missed: { count: missedCount, first: missedCount > 0 ? start : null, tail, atLeast: false },
    onTime,
    nextTriggerAt: start + total * interval,
  };
}

/** Cron and calendar intervals: walk next() with a safety cap. */
function enumerate(
  schedule: PlanSchedule,
  start: number,
  cutoff: number,
  now: number,
  keep: number,
): Enumerated {
  const missed: MissedSet = { count: 0, first: null, tail: [], atLeast: false };
  let o: number | null = start;
  while (o !== null && o < cutoff && missed.count < ENUMERATION_CAP) {
    missed.count++;
    if (missed.first === null) missed.first = o;
    pushTail(missed.tail, o, keep);
    o = advance(schedule, o);
  }
  if (o !== null && o < cutoff) {
    // Cap reached: skip to the most recent missed occurrences before cutoff.
    missed.atLeast = true;
    const recent = recentBefore(schedule, o, cutoff, keep);
    missed.count += recent.length;
    missed.tail = missed.tail.concat(recent).slice(-keep);
    o = schedule.first(cutoff - 1);
  }
  const onTime: number[] = [];
  while (o !== null && o <= now) {
    onTime.push(o);
    o = advance(schedule, o);
  }
  return { missed, onTime, nextTriggerAt: o };
}

/** next(), guarded so a schedule that does not move forward cannot loop forever. */
function advance(schedule: PlanSchedule, o: number): number | null {
  const n = schedule.next(o);
  return n !== null && n > o ? n : null;
}

function pushTail(tail: number[], o: number, keep: number): void {
  tail.push(o);
  if (tail.length > keep) tail.shift();
}

/**
 * Up to `keep` occurrences in (after, cutoff), the most recent ones: widen a window
 * back from cutoff until it holds enough (first() finds the first match > anchor).
 */
function recentBefore(
  schedule: PlanSchedule,
  after: number,
  cutoff: number,
  keep: number,
): number[] {
  for (let width = 1000; ; width *= 2) {
    const from = Math.max(after, cutoff - width);
    const found: number[] = [];
    // first() is strictly after its anchor; `after` itself is not counted yet.
    let o = schedule.first(from === after ? after - 1 : from);
    while (o !== null && o < cutoff) {
      pushTail(found, o, keep);
      o = advance(schedule, o);
    }
    if (found.length >= keep || from === after) return found;
  }
}
