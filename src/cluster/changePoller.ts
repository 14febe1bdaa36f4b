// The fallback for change events a node missed (its LISTEN connection dropped, a NOTIFY
// was lost): every cluster.pollMs it reads the tasks whose updated_on moved and re-plans
// them, and notices deleted tasks by their count. updated_on is stamped with the writer's
// clock, so the poll looks back over a margin (the allowed clock skew plus slack) and
// remembers what it has seen, instead of trusting one watermark.
import type { Clock, TimerHandle } from '../clock/clock.js';
import type { Store } from '../store/store.js';
import { errorText, type ClusterLogger } from './clusterLogger.js';

export interface ChangePollerDeps {
  store: Store;
  clock: Clock;
  logger: ClusterLogger;
  pollMs: number;
  /** How far before the newest updated_on seen each poll looks again. */
  marginMs: number;
  apply(kind: 'changed' | 'removed', taskId: number): Promise<void>;
}

export class ChangePoller {
  /** Task id -> the updated_on (ms) last seen within the margin. */
  private readonly seen = new Map<number, number>();
  private known = new Set<number>();
  private watermark = 0;
  private timer: TimerHandle | null = null;
  private stopped = true;
  private polling: Promise<void> | null = null;

  constructor(private readonly deps: ChangePollerDeps) {}

  async start(): Promise<void> {
    const { store } = this.deps;
    this.watermark = (await store.nodes.latestTaskUpdate())?.getTime() ?? 0;
    for (const { id, updatedOn } of await store.nodes.tasksChangedSince(this.since())) {
      this.seen.set(id, updatedOn.getTime());
    }
    this.known = new Set(await store.nodes.taskIds());
    this.stopped = false;
    this.arm();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.deps.clock.clearTimer(this.timer);
    this.timer = null;
    await this.polling;
  }

  /** One poll: applies every change found (tests call it directly). */
  poll(): Promise<void> {
    this.polling ??= this.doPoll()
      .catch((err: unknown) =>
        this.deps.logger.warn({ err: errorText(err) }, 'cluster: polling for task changes failed'),
      )
      .finally(() => (this.polling = null));
    return this.polling;
  }

  private since(): Date {
    return new Date(this.watermark - this.deps.marginMs);
  }

  private async doPoll(): Promise<void> {
    const { store } = this.deps;
    const changed: number[] = [];
    for (const { id, updatedOn } of await store.nodes.tasksChangedSince(this.since())) {
      const t = updatedOn.getTime();
      if (this.seen.get(id) !== t) {
        this.seen.set(id, t);
        changed.push(id);
      }
      this.known.add(id);
      if (t > this.watermark) this.watermark = t;
    }
    const horizon = this.watermark - this.deps.marginMs;
    for (const [id, t] of this.seen) if (t < horizon) this.seen.delete(id);
    const removed: number[] = [];
    if ((await store.tasks.count()) !== this.known.size) {
      const ids = new Set(await store.nodes.taskIds());
      for (const id of this.known) if (!ids.has(id)) removed.push(id);
      for (const id of ids) if (!this.known.has(id)) changed.push(id);
      this.known = ids;
    }
    for (const id of changed) await this.deps.apply('changed', id);
    for (const id of removed) await this.deps.apply('removed', id);
  }

  private arm(): void {
    if (this.stopped) return;
    this.timer = this.deps.clock.setTimer(() => {
      this.timer = null;
      void this.poll().then(() => this.arm());
    }, this.deps.pollMs);
  }
}
