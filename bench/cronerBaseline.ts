// The baseline: bare croner one-shot callbacks (`new Cron(date, {maxRuns: 1}, fn)`) on the
// given instants, measuring how late each callback runs. No store, no claims: this is the
// floor that Node timers and croner give on this machine.
import { Cron } from 'croner';
import { preciseNow } from './stats.js';

export interface FiringResult {
  /** Lateness in ms (actual start minus scheduled instant) for each occurrence that fired. */
  lateness: number[];
  /** How many were expected. */
  expected: number;
  /** Time to arm every job, ms. */
  setupMs: number;
}

export interface BaselineResult extends FiringResult {
  /** When the last job was armed, ms since the epoch (must be before the first instant). */
  armedAt: number;
}

/** ms to arm one croner one-shot job (croner computes each job's next run up front). */
export function cronerArmCostMs(sample = 500): number {
  const far = new Date(Date.now() + 86_400_000);
  const start = performance.now();
  const jobs = Array.from({ length: sample }, () => new Cron(far, { maxRuns: 1 }, () => undefined));
  const perJob = (performance.now() - start) / sample;
  for (const job of jobs) job.stop();
  return perJob;
}

/**
 * Arms one job per instant and waits until every callback ran or until `deadline`
 * (ms since the epoch) passes. All jobs are stopped before it returns.
 */
export async function cronerBaseline(
  instants: readonly number[],
  deadline: number,
): Promise<BaselineResult> {
  const lateness: number[] = [];
  let resolveAll: () => void = () => undefined;
  const allFired = new Promise<void>((r) => (resolveAll = r));
  const setupStart = performance.now();
  const jobs = instants.map(
    (instant) =>
      new Cron(new Date(instant), { maxRuns: 1 }, () => {
        lateness.push(preciseNow() - instant);
        if (lateness.length === instants.length) resolveAll();
      }),
  );
  const setupMs = performance.now() - setupStart;
  const armedAt = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<void>(
    (r) => (timer = setTimeout(r, Math.max(0, deadline - Date.now()))),
  );
  await Promise.race([allFired, timedOut]);
  clearTimeout(timer);
  for (const job of jobs) job.stop();
  return { lateness, expected: instants.length, setupMs, armedAt };
}
