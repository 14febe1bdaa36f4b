// The SchedulerApi the task service talks to in a cluster: it calls this node's scheduler,
// then tells the other nodes, so a change made through any node reaches every node. A
// cancel also reaches runs executing on other nodes: it waits (briefly) for them to end
// and returns them with this node's.
import type { Clock } from '../clock/clock.js';
import type { Run } from '../domain/types.js';
import { isTerminal } from '../domain/runStatus.js';
import type { SchedulerApi, SchedulerEvents, SchedulerStatus } from '../scheduler/schedulerApi.js';
import type { Store } from '../store/store.js';
import type { ClusterBus } from './clusterEvents.js';

export interface PublishingDeps {
  store: Store;
  clock: Clock;
  node: string;
  /** Nodes with a live heartbeat, read now (a dead node's runs will not end on a cancel). */
  liveNodes(): Promise<string[]>;
  /** How long cancel waits for runs on other nodes to end. */
  cancelWaitMs: number;
}

const CANCEL_POLL_MS = 100;

export class PublishingScheduler implements SchedulerApi {
  constructor(
    private readonly inner: SchedulerApi,
    private readonly bus: ClusterBus,
    private readonly deps: PublishingDeps,
  ) {}

  get events(): SchedulerEvents {
    return this.inner.events;
  }

  async taskChanged(taskId: number): Promise<void> {
    await this.inner.taskChanged(taskId);
    await this.bus.publish('changed', taskId);
  }

  async taskRemoved(taskId: number): Promise<void> {
    await this.inner.taskRemoved(taskId);
    await this.bus.publish('removed', taskId);
  }

  async runNow(taskId: number): Promise<Run> {
    const run = await this.inner.runNow(taskId);
    await this.bus.publish('run', taskId, run.id);
    return run;
  }

  async cancel(taskId: number): Promise<Run[]> {
    const local = await this.inner.cancel(taskId);
    const live = new Set(await this.deps.liveNodes());
    const elsewhere = (await this.deps.store.runs.active(taskId)).filter(
      (r) => r.node !== null && r.node !== this.deps.node && live.has(r.node),
    );
    await this.bus.publish('cancel', taskId);
    if (elsewhere.length === 0) return local;
    const ended = await this.waitEnded(elsewhere.map((r) => r.id));
    return [...local, ...ended.filter((r) => r.status === 'cancelled')];
  }

  status(): SchedulerStatus {
    return this.inner.status();
  }

  /** The runs once they reached a final status, or as they are after cancelWaitMs. */
  private async waitEnded(ids: number[]): Promise<Run[]> {
    const { store, clock } = this.deps;
    const until = clock.now() + this.deps.cancelWaitMs;
    for (;;) {
      const runs = (await Promise.all(ids.map((id) => store.runs.get(id)))).filter(
        (r): r is Run => r !== null,
      );
      if (runs.every((r) => isTerminal(r.status)) || clock.now() >= until) return runs;
      await new Promise<void>((resolve) => clock.setTimer(resolve, CANCEL_POLL_MS));
    }
  }
}
