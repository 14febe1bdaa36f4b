// The runs this node holds: executing, ready (claimed, waiting for a free slot under
// maxConcurrentRuns), queued behind a task's running run (overlap `queue`/`replace`) and
// waiting for their runAt (retries, leftovers from a restart). It starts each when it may.
import type { EventEmitter } from 'node:events';
import type { Run, Task } from '../domain/types.js';
import type { Store } from '../store/store.js';
import { DueQueue } from './dueQueue.js';
import { Execution, type ExecutorDeps } from './executor.js';
import type { AbortReason } from './actionRunner.js';
import type { ClaimIntent } from './claims.js';
import type { ActiveRuns, OverlapDecision } from './overlap.js';

export interface RunSlotsDeps {
  executor: ExecutorDeps;
  store: Store;
  events: EventEmitter;
  maxConcurrentRuns: number;
  /** The in-memory task (the loop never re-reads tasks from the database to fire). */
  taskOf(taskId: number): Task | undefined;
  onError(err: unknown, what: string): void;
}

interface TaskActivity {
  /**
   * Executions of the task (a count, not a Set per run: the executions themselves are
   * found in RunSlots.executions, only on the rare cancel or replace).
   */
  executing: number;
  /** Claimed runs in the ready line. */
  ready: number;
  /** Overlap decisions whose claim is still in flight: start/replace, and queue. */
  claiming: number;
  queueClaiming: number;
}

export class RunSlots {
  private readonly executions = new Set<Execution>();
  private readonly byTask = new Map<number, TaskActivity>();
  /** FIFO of runs waiting for a slot; `head` avoids O(n) shifts with 10k waiting runs. */
  private ready: Run[] = [];
  private head = 0;
  private readonly behind = new Map<number, Run>();
  private readonly waiting = new DueQueue();
  private readonly waitingRuns = new Map<number, Run>();
  /** Slots taken for runs being claimed straight into `running` (see takeSlots). */
  private held = 0;

  constructor(private readonly deps: RunSlotsDeps) {}

  get runningCount(): number {
    return this.executions.size;
  }

  /** What overlap policy sees: claimed-to-start and executing runs, and queued ones. */
  active(taskId: number): ActiveRuns {
    const a = this.byTask.get(taskId);
    if (!a) return { running: 0, queued: 0 };
    return {
      running: a.executing + a.ready + a.claiming,
      queued: (this.behind.has(taskId) ? 1 : 0) + a.queueClaiming,
    };
  }

  /** Counts a decision whose claim is in flight, so the next decision sees it. */
  reserve(taskId: number, decision: OverlapDecision, delta: 1 | -1): void {
    if (decision === 'skip') return;
    const a = this.activity(taskId);
    if (decision === 'queue') a.queueClaiming += delta;
    else a.claiming += delta;
    this.tidy(taskId);
  }

  /**
   * Takes up to n free slots for runs the loop claims and starts in one transaction. None
   * while runs wait in the ready line: they were first and keep their turn.
   */
  takeSlots(n: number): number {
    if (this.head < this.ready.length) return 0;
    const free = this.deps.maxConcurrentRuns - this.executions.size - this.held;
    const k = Math.max(0, Math.min(n, free));
    this.held += k;
    return k;
  }

  /**
   * Marks the intents that may be claimed straight into `running` (overlap `start`, a
   * pending claim) with `start`, one free slot taken for each (see takeSlots); returns how
   * many slots it took.
   */
  holdForStart(intents: readonly ClaimIntent[]): number {
    let wanted = 0;
    for (const i of intents) if (i.decision === 'start' && i.claim.status === 'pending') wanted++;
    const held = this.takeSlots(wanted);
    let left = held;
    for (const i of intents) {
      if (left === 0) break;
      if (i.decision === 'start' && i.claim.status === 'pending') {
        i.claim.start = true;
        left--;
      }
    }
    return held;
  }

  /** Gives back slots taken but not used (claims another node won), then refills. */
  releaseSlots(n: number): void {
    if (n <= 0) return;
    this.held -= n;
    this.fill();
  }

  /** Starts a run claimed straight into `running`, on a slot taken with takeSlots. */
  startHeld(run: Run): void {
    this.held--;
    this.start(run);
  }

  /** Starts the run now, or puts it in the ready line when every slot is taken. */
  dispatch(run: Run): void {
    this.activity(run.taskId).ready++;
    this.ready.push(run);
    this.fill();
  }

  /** Overlap `queue`: starts once the task has nothing executing or ready. */
  queueBehind(run: Run): void {
    this.behind.set(run.taskId, run);
    this.startBehind(run.taskId);
  }

  /** Overlap `replace`: aborts the task's runs in progress, then starts the new one. */
  replace(run: Run): void {
    const older = this.behind.get(run.taskId);
    if (older) void this.cancelPending(older, 'cancelled: replaced by a newer run');
    this.dropReady(run.taskId, 'cancelled: replaced by a newer run');
    for (const e of this.executingOf(run.taskId)) e.abort('replace');
    this.queueBehind(run);
  }

  /** A pending run that starts at its runAt (a retry, or a leftover after a restart). */
  addWaiting(run: Run): void {
    this.waitingRuns.set(run.id, run);
    this.waiting.update(run.id, run.runAt.getTime());
  }

  earliestWaiting(): number | null {
    return this.waiting.peek()?.dueAt ?? null;
  }

  startDueWaiting(now: number): void {
    for (const { id } of this.waiting.popDue(now)) {
      const run = this.waitingRuns.get(id);
      this.waitingRuns.delete(id);
      if (run) this.dispatch(run);
    }
  }

  /** Cancels every run of the task this node holds; resolves with those that ended cancelled. */
  async cancelTask(taskId: number, reason: AbortReason = 'cancel'): Promise<Run[]> {
    const error = reason === 'replace' ? 'cancelled: replaced by a newer run' : 'cancelled';
    const pending: Promise<Run | null>[] = this.dropReady(taskId, error);
    const queued = this.behind.get(taskId);
    if (queued) pending.push(this.cancelPending(queued, error));
    for (const [id, run] of this.waitingRuns) {
      if (run.taskId !== taskId) continue;
      this.waitingRuns.delete(id);
      this.waiting.remove(id);
      pending.push(this.cancelPending(run, error));
    }
    const execs = this.executingOf(taskId);
    for (const e of execs) e.abort(reason);
    const ended = await Promise.all([...pending, ...execs.map((e) => e.done)]);
    return ended.filter((r): r is Run => r !== null && r.status === 'cancelled');
  }

  /** Resolves once nothing executes (or at once). */
  async settled(): Promise<void> {
    while (this.executions.size > 0) await Promise.all([...this.executions].map((e) => e.done));
  }

  abortAll(reason: AbortReason): void {
    for (const e of this.executions) e.abort(reason);
  }

  /** Forgets runs not yet started (they stay pending in the store for the next start). */
  clearPending(): void {
    this.ready = [];
    this.head = 0;
    this.behind.clear();
    this.waiting.clear();
    this.waitingRuns.clear();
  }

  private fill(): void {
    while (
      this.executions.size + this.held < this.deps.maxConcurrentRuns &&
      this.head < this.ready.length
    ) {
      const run = this.ready[this.head++]!;
      this.activity(run.taskId).ready--;
      this.start(run);
    }
    if (this.head > 1024 && this.head * 2 > this.ready.length) {
      this.ready = this.ready.slice(this.head);
      this.head = 0;
    }
  }

  private start(run: Run): void {
    const task = this.deps.taskOf(run.taskId);
    if (!task) {
      void this.cancelPending(run, 'cancelled: the task was deleted');
      return;
    }
    // A run claimed straight into `running` emits that event here, from its execution.
    const exec = new Execution(this.deps.executor, task, run, this.finishedBound);
    this.executions.add(exec);
    this.activity(run.taskId).executing++;
  }

  private readonly finishedBound = (exec: Execution): void => this.finished(exec);

  private finished(exec: Execution): void {
    this.executions.delete(exec);
    const a = this.byTask.get(exec.task.id);
    if (a) a.executing--;
    this.startBehind(exec.task.id);
    this.fill();
    this.tidy(exec.task.id);
  }

  private startBehind(taskId: number): void {
    const run = this.behind.get(taskId);
    const a = this.byTask.get(taskId);
    if (!run || (a && (a.executing > 0 || a.ready > 0))) return;
    this.behind.delete(taskId);
    this.dispatch(run);
  }

  /** Takes the task's runs out of the ready line and cancels them. */
  private dropReady(taskId: number, error: string): Promise<Run | null>[] {
    const a = this.byTask.get(taskId);
    if (!a || a.ready === 0) return [];
    const line = this.ready.slice(this.head);
    this.ready = line.filter((r) => r.taskId !== taskId);
    this.head = 0;
    a.ready = 0;
    return line.filter((r) => r.taskId === taskId).map((r) => this.cancelPending(r, error));
  }

  /** Cancels a claimed run that never executed (pending, or claimed straight into running). */
  private async cancelPending(run: Run, error: string): Promise<Run | null> {
    if (this.behind.get(run.taskId) === run) this.behind.delete(run.taskId);
    try {
      const finishedAt = new Date(this.deps.executor.clock.now());
      const from = run.status === 'running' ? 'running' : 'pending';
      const r = await this.deps.store.runs.transition(run.id, from, 'cancelled', {
        error,
        finishedAt,
      });
      if (r) this.deps.events.emit('run', r);
      return r;
    } catch (err) {
      this.deps.onError(err, `cancelling run ${run.id}`);
      return null;
    } finally {
      this.tidy(run.taskId);
    }
  }

  /** The task's executions (a scan: at most maxConcurrentRuns, on cancel/replace only). */
  private executingOf(taskId: number): Execution[] {
    const out: Execution[] = [];
    if (!this.byTask.get(taskId)?.executing) return out;
    for (const e of this.executions) if (e.task.id === taskId) out.push(e);
    return out;
  }

  private activity(taskId: number): TaskActivity {
    let a = this.byTask.get(taskId);
    if (!a) {
      a = { executing: 0, ready: 0, claiming: 0, queueClaiming: 0 };
      this.byTask.set(taskId, a);
    }
    return a;
  }

  /** Drops the task's record once it holds nothing (100k tasks, few active). */
  private tidy(taskId: number): void {
    const a = this.byTask.get(taskId);
    if (a && a.executing === 0 && a.ready === 0 && a.claiming === 0 && a.queueClaiming === 0) {
      this.byTask.delete(taskId);
    }
  }
}
