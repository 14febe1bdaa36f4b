// Everything that reads time or arms timers takes a Clock, so policy logic can be
// tested with fixed instants and a manual clock that jumps forward and backward.

export interface TimerHandle {
  readonly id: number;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls fn once after ms (wall-clock time may jump meanwhile; callers re-check now()). */
  setTimer(fn: () => void, ms: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

let nextId = 1;

/** The real clock: Date.now() and Node timers (unref'd so they never hold the process). */
export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  setTimer(fn: () => void, ms: number): TimerHandle {
    const t = setTimeout(fn, Math.max(0, ms));
    t.unref();
    const handle = { id: nextId++, t };
    return handle;
  },
  clearTimer(handle: TimerHandle): void {
    clearTimeout((handle as unknown as { t: NodeJS.Timeout }).t);
  },
});
