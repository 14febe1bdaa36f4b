import type { Clock, TimerHandle } from './clock.js';

interface PendingTimer {
  handle: TimerHandle;
  /** Fires once the clock's monotonic elapsed time reaches this value. */
  dueElapsed: number;
  fn: () => void;
}

/**
 * A clock for tests and benchmarks. Wall time (now) and timer time are separate, as on
 * a real machine: `advance` moves both (elapsed time passes), `jump` moves only the wall
 * clock (NTP step, manual change), so a test can show the scheduler survives both.
 */
export class ManualClock implements Clock {
  private wall: number;
  private elapsed = 0;
  private timers: PendingTimer[] = [];
  private nextId = 1;

  constructor(start: number | string | Date) {
    this.wall = typeof start === 'number' ? start : new Date(start).getTime();
  }

  now(): number {
    return this.wall;
  }

  setTimer(fn: () => void, ms: number): TimerHandle {
    const handle = { id: this.nextId++ };
    this.timers.push({ handle, dueElapsed: this.elapsed + Math.max(0, ms), fn });
    return handle;
  }

  clearTimer(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t.handle.id !== handle.id);
  }

  /** Timers currently armed, as delays from now (for assertions). */
  armedDelays(): number[] {
    return this.timers.map((t) => t.dueElapsed - this.elapsed).sort((a, b) => a - b);
  }

  /** Step the wall clock without elapsed time passing (forward or backward). */
  jump(ms: number): void {
    this.wall += ms;
  }

  /** Set the wall clock to an instant without elapsed time passing. */
  set(instant: number | string | Date): void {
    this.wall = typeof instant === 'number' ? instant : new Date(instant).getTime();
  }

  /**
   * Let ms of real time pass: timers fire in due order, each seeing the wall clock at its
   * due moment. Awaits microtasks between timers so async work started by a timer runs.
   */
  async advance(ms: number): Promise<void> {
    const target = this.elapsed + ms;
    for (;;) {
      const next = this.timers
        .filter((t) => t.dueElapsed <= target)
        .sort((a, b) => a.dueElapsed - b.dueElapsed)[0];
      if (!next) break;
      this.wall += next.dueElapsed - this.elapsed;
      this.elapsed = next.dueElapsed;
      this.timers = this.timers.filter((t) => t !== next);
      next.fn();
      await settle();
    }
    this.wall += target - this.elapsed;
    this.elapsed = target;
    await settle();
  }
}

/** Let pending promise callbacks and immediate I/O callbacks run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}
