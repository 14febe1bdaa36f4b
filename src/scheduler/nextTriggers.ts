// Saving the next triggers the loop planned, when the store could not write them in the
// claim's own transaction (no claimAndStart): after the runs have started, off the firing path.
import type { Task } from '../domain/types.js';
import type { Store } from '../store/store.js';

/** In one store call when the store can, else one write per task; failures are reported, not thrown. */
export async function saveNextTriggers(
  store: Store,
  planned: readonly Task[],
  fail: (err: unknown, what: string) => void,
): Promise<void> {
  if (planned.length === 0) return;
  const tasks = store.tasks;
  if (!tasks.setNextTriggers) {
    await Promise.all(
      planned.map(async (task) => {
        try {
          await tasks.setScheduleState(task.id, { nextTriggerAt: task.nextTriggerAt });
        } catch (err) {
          fail(err, `saving the next trigger of task ${task.id}`);
        }
      }),
    );
    return;
  }
  try {
    // The instants as they are now (a run that finished meanwhile wrote the same).
    await tasks.setNextTriggers(planned.map((t) => ({ id: t.id, nextTriggerAt: t.nextTriggerAt })));
  } catch (err) {
    fail(err, `saving the next triggers of ${planned.length} tasks`);
  }
}
