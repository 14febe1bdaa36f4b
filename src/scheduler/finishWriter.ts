// Writes finished runs in batches: every run that finishes during one turn of the event
// loop is written at the end of that turn (setImmediate) in one store call. On SQLite
// that is one transaction, so a wake that fires and finishes N no-op runs commits twice
// (claim, finish) instead of 1 + 2N times, and the event loop is free sooner for the
// next wake. The run's `finished` callback is told once its row is written.
//
// Invariant: a run is reported finished (event, done, slot freed) only after its final
// status is stored; a store error leaves the row `running` for restart recovery.
import type { FinishedOutcome, FinishedRun, Store } from '../store/store.js';

export interface FinishRequest extends FinishedRun {
  /** Told once: the finished run, null when it was no longer held, or the write's error. */
  finished(outcome: FinishedOutcome): void;
}

export class FinishWriter {
  private batch: FinishRequest[] = [];
  private readonly flushBound = () => this.flush();

  constructor(private readonly store: Store) {}

  add(request: FinishRequest): void {
    this.batch.push(request);
    if (this.batch.length === 1) setImmediate(this.flushBound);
  }

  private flush(): void {
    const batch = this.batch;
    this.batch = [];
    const runs = this.store.runs;
    const written: Promise<FinishedOutcome[]> = runs.finishHeld
      ? runs.finishHeld(batch)
      : Promise.all(batch.map((r) => heldFinish(this.store, r)));
    written.then(
      (outcomes) => {
        for (let i = 0; i < batch.length; i++) batch[i]!.finished(outcomes[i] ?? null);
      },
      (err: unknown) => {
        const error = err instanceof Error ? err : new Error(String(err));
        for (const r of batch) r.finished(error);
      },
    );
  }
}

/** One run on a store without finishHeld: its transition, then its task's state. */
async function heldFinish(store: Store, r: FinishedRun): Promise<FinishedOutcome> {
  try {
    const runs = store.runs;
    const done = runs.transitionHeld
      ? await runs.transitionHeld(r.held, r.to, r.fields)
      : await runs.transition(r.held.id, r.held.status, r.to, r.fields);
    await store.tasks.setScheduleState(r.taskId, r.state);
    return done;
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}
