// The scheduling loop: every task's next occurrence in one min-heap, ONE timer armed for
// the earliest (capped at scheduler.timerCapMs), and on each wake everything due is
// planned, claimed in one store call and started. Invariants:
// - nothing fires early: a wake re-reads now() and fires only what is <= now;
// - nothing fires twice: nextTriggerAt only moves forward, and the store's claim key
//   (taskId, scheduledFor, attempt) lets exactly one claimer (node) win an occurrence.
import { EventEmitter } from 'node:events';
import type { Clock, TimerHandle } from '../clock/clock.js';
import type { Config } from '../config/config.js';
import type { Run, Task } from '../domain/types.js';
import { TaskrError } from '../errors.js';
import { RunLog } from '../runlog/runLog.js';
import type { ClaimedStart, RunClaim, Store } from '../store/store.js';
import type { ActionResolver } from './actionRunner.js';
import { buildClaims, sameClaim, type ClaimIntent } from './claims.js';
import { warmUpFiringPath } from './warmUp.js';
import { withClaimRetry } from './claimRetry.js';
import type { DueEntry } from './dueQueue.js';
import { FinishWriter } from './finishWriter.js';
import { saveNextTriggers } from './nextTriggers.js';
import { RunSlots } from './runSlots.js';
import { TaskTable } from './taskTable.js';
import type { SchedulerApi, SchedulerEvents, SchedulerStatus } from './schedulerApi.js';
import { nextWake } from './timerPlan.js';

type LogFn = (obj: object | string, msg?: string) => void;
export interface SchedulerLogger {
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

export interface SchedulerDeps {
  store: Store;
  registry: ActionResolver;
  clock: Clock;
  config: Readonly<Config>;
  logger?: SchedulerLogger;
  /** Where `${env:NAME}` references are looked up (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** The task log writer; one is created when not given. */
  runLog?: RunLog;
  /**
   * Cluster hook (src/cluster): how long after its instant this node fires a task's
   * occurrence (0: at once; a backup node waits). The claim key stays the scheduled
   * instant, and the plan is made as of instant + lateness, as the owner would have.
   */
  firingDelay?: (taskId: number) => number;
}

const INTERRUPTED = 'interrupted: the daemon stopped while it ran';
/** Tasks planned and claimed per store call when many fall due at once (see fireDue). */
const CLAIM_CHUNK = 256;

export class Scheduler implements SchedulerApi {
  readonly events: SchedulerEvents = new EventEmitter();
  readonly runLog: RunLog;
  private readonly tasks: TaskTable;
  private readonly slots: RunSlots;
  private readonly node: string;
  private timer: TimerHandle | null = null;
  private nextWakeAt: number | null = null;
  private startedAt: number | null = null;
  /** Heartbeat for readiness (/ready): set on every timer wake. */
  private lastWakeAt: number | null = null;
  private stopped = false;
  /** Claims and write-backs in flight (awaited by idle() and stop()). */
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly deps: SchedulerDeps) {
    this.events.setMaxListeners(0);
    this.node = deps.config.nodeName;
    this.tasks = new TaskTable(
      deps.config.timezone,
      (task, err) =>
        this.fail(err, `task ${task.id} schedule '${task.scheduleMethod} ${task.scheduleWhen}'`),
      deps.firingDelay,
    );
    this.runLog =
      deps.runLog ??
      new RunLog({
        logs: deps.store.logs,
        clock: deps.clock,
        storeLevel: deps.config.log.storeLevel,
        onError: (err) => this.fail(err, 'writing the task log'),
      });
    this.slots = new RunSlots({
      store: deps.store,
      events: this.events,
      maxConcurrentRuns: deps.config.scheduler.maxConcurrentRuns,
      taskOf: (id) => this.tasks.get(id),
      onError: (err, what) => this.fail(err, what),
      executor: {
        store: deps.store,
        registry: deps.registry,
        clock: deps.clock,
        config: deps.config,
        runLog: this.runLog,
        env: deps.env ?? process.env,
        events: this.events,
        node: this.node,
        finisher: new FinishWriter(deps.store),
        onOutput: (runId, order, line) => this.events.emit('output', { runId, order, line }),
        nextTriggerAt: (id) => this.tasks.get(id)?.nextTriggerAt ?? null,
        onRetry: (run) => {
          this.slots.addWaiting(run);
          this.arm();
        },
        onError: (err, what) => this.fail(err, what),
      },
    });
  }

  /** Interrupts runs left running by a previous process, loads every task, arms the timer. */
  async start(): Promise<void> {
    // SQLite is single-node, so every run still `running` belongs to a process that died
    // (node names default to host-pid and change across restarts). On PostgreSQL other
    // nodes may be alive: only this node's runs are ours to interrupt.
    const onlyNode = this.deps.store.kind === 'sqlite' ? undefined : this.node;
    const interrupted = await this.deps.store.runs.interruptRunning(INTERRUPTED, onlyNode, {
      at: new Date(this.deps.clock.now()),
    });
    if (interrupted > 0)
      this.deps.logger?.warn({ interrupted }, 'scheduler: marked runs left running as interrupted');
    for (const task of await this.deps.store.tasks.all()) this.tasks.put(task);
    for (const run of await this.deps.store.runs.active()) {
      // Queued runs and retries of this node wait again; another node's are its own.
      if (run.status === 'pending' && (run.node === this.node || run.node === null))
        this.slots.addWaiting(run);
    }
    await warmUpFiringPath(
      this.deps.store,
      this.deps.config,
      this.deps.clock.now(),
      this.node,
      (err, what) => this.fail(err, what),
    );
    this.stopped = false;
    this.startedAt = this.deps.clock.now();
    this.arm();
  }

  /** Stops firing, lets runs finish for up to graceMs, then interrupts the rest. */
  async stop(graceMs = 0): Promise<void> {
    this.stopped = true;
    this.disarm();
    await this.idle(false);
    if (this.slots.runningCount > 0 && graceMs > 0) {
      let timer: TimerHandle | null = null;
      const graceOver = new Promise<void>((r) => (timer = this.deps.clock.setTimer(r, graceMs)));
      await Promise.race([this.slots.settled(), graceOver]);
      if (timer) this.deps.clock.clearTimer(timer);
    }
    this.slots.abortAll('shutdown');
    await this.slots.settled();
    this.slots.clearPending();
    await this.idle(false);
    await this.runLog.flush();
    this.startedAt = null;
  }

  /** Resolves once no claim, write-back or (with runs) execution is in progress. For tests and stop(). */
  async idle(runs = true): Promise<void> {
    for (;;) {
      if (runs) await this.slots.settled();
      if (this.inFlight.size === 0 && (!runs || this.slots.runningCount === 0)) return;
      await Promise.allSettled([...this.inFlight]);
    }
  }

  async taskChanged(taskId: number): Promise<void> {
    const task = await this.deps.store.tasks.get(taskId);
    if (!task) return this.taskRemoved(taskId);
    this.tasks.put(task);
    this.arm();
  }

  async taskRemoved(taskId: number): Promise<void> {
    this.tasks.remove(taskId);
    this.arm();
    await this.slots.cancelTask(taskId);
  }

  /** Claims a manual run for now and starts it. It always starts: overlap policy does not apply to a manual run. */
  async runNow(taskId: number): Promise<Run> {
    if (!this.tasks.get(taskId)) {
      const task = await this.deps.store.tasks.get(taskId);
      if (!task) throw new TaskrError('task.not_found', { id: taskId });
      this.tasks.put(task);
    }
    const now = this.deps.clock.now();
    // The claim key is unique per instant: on a clash (another run at this ms) try the next ms.
    for (let bump = 0; bump < 1000; bump++) {
      const [run] = await this.deps.store.runs.claim([
        {
          taskId,
          scheduledFor: new Date(now + bump),
          attempt: 1,
          trigger: 'manual',
          status: 'pending',
          runAt: new Date(now),
          node: this.node,
        },
      ]);
      if (run) {
        this.events.emit('run', run);
        this.slots.dispatch(run);
        return run;
      }
    }
    throw new Error(`scheduler: could not claim a manual run for task ${taskId}`);
  }

  cancel(taskId: number): Promise<Run[]> {
    return this.slots.cancelTask(taskId, 'cancel');
  }

  /** Cluster hook: a pending run handed to this node (a dead node's run, or its retry). */
  adopt(run: Run): void {
    if (this.stopped || run.status !== 'pending' || run.node !== this.node) return;
    this.slots.addWaiting(run);
    this.arm();
  }

  status(): SchedulerStatus {
    return {
      running: this.startedAt !== null && !this.stopped,
      timerCapMs: this.deps.config.scheduler.timerCapMs,
      tasksScheduled: this.tasks.scheduledCount,
      runsInProgress: this.slots.runningCount,
      nextWakeAt: this.nextWakeAt === null ? null : new Date(this.nextWakeAt),
      startedAt: this.startedAt === null ? null : new Date(this.startedAt),
      lastWakeAt: this.lastWakeAt === null ? null : new Date(this.lastWakeAt),
      node: this.node,
    };
  }

  /** (Re)arms the one timer for the earliest due task or waiting run, never past the cap. */
  private arm(): void {
    if (this.stopped || this.startedAt === null) return;
    this.disarm();
    const now = this.deps.clock.now();
    const task = this.tasks.earliest();
    const waiting = this.slots.earliestWaiting();
    const earliest = task === null ? waiting : waiting === null ? task : Math.min(task, waiting);
    const delay = nextWake(earliest, now, this.deps.config.scheduler.timerCapMs);
    this.nextWakeAt = now + delay;
    this.timer = this.deps.clock.setTimer(() => this.wake(), delay);
  }

  private disarm(): void {
    if (this.timer !== null) this.deps.clock.clearTimer(this.timer);
    this.timer = null;
    this.nextWakeAt = null;
  }

  private wake(): void {
    this.timer = null;
    if (this.stopped) return;
    this.lastWakeAt = this.deps.clock.now();
    try {
      this.tick();
    } catch (err) {
      this.fail(err, 'scheduler tick');
    }
    this.arm();
  }

  /** Takes everything due at now out of the queue and fires it (see fireDue). */
  private tick(): void {
    const now = this.deps.clock.now();
    const dueTasks = this.tasks.popDue(now);
    this.slots.startDueWaiting(now);
    if (dueTasks.length === 0) return;
    this.track(this.fireDue(dueTasks, now));
  }

  /**
   * Plans, claims and starts the due tasks in chunks of CLAIM_CHUNK, one after the other,
   * all as of the wake's `now`. The first chunk is planned synchronously in the wake. A
   * burst (10,000 due at once) thus starts its first runs after one small plan and claim,
   * and the runs of each chunk (fast ones finish in microtasks) are mostly done before the
   * next chunk starts: a few hundred runs in flight instead of 10,000 keeps garbage
   * collection cheap. The next triggers are written back last, off the firing path.
   */
  private async fireDue(due: DueEntry[], now: number): Promise<void> {
    for (let i = 0; i < due.length; i += CLAIM_CHUNK) {
      const planned: Task[] = [];
      const intents = this.plan(due, i, Math.min(due.length, i + CLAIM_CHUNK), now, planned);
      // Later chunks move next triggers after the wake armed the timer.
      if (i > 0) this.arm();
      if (intents.length > 0 || planned.length > 0) await this.claimAndStart(intents, planned);
    }
  }

  /** Plans due[from..to) as of now: the claims to make; moves each task's next trigger. */
  private plan(
    due: DueEntry[],
    from: number,
    to: number,
    now: number,
    planned: Task[],
  ): ClaimIntent[] {
    const intents: ClaimIntent[] = [];
    for (let k = from; k < to; k++) {
      const { id, dueAt } = due[k]!;
      // Requeued while an earlier chunk was being claimed (the task changed): the wake
      // that takes it out of the queue again plans it.
      if (from > 0 && this.tasks.isQueued(id)) continue;
      const task = this.tasks.get(id);
      if (!task || !task.enabled || !task.nextTriggerAt) continue;
      const schedule = this.tasks.scheduleOf(id, now);
      if (!schedule) continue; // reported once; it stays out of the queue until edited
      // Cluster backup (firingDelay): plan as of the instant plus this wake's lateness.
      const planAt = now - Math.max(0, dueAt - task.nextTriggerAt.getTime());
      const made = buildClaims(task, schedule, planAt, this.deps.config, this.node, this.slots);
      for (const intent of made.intents) intents.push(intent);
      this.tasks.setNext(task, made.nextTriggerAt);
      // A backup leaves the stored next trigger to the owner (no cross-node row locks).
      if (planAt === now) planned.push(task);
    }
    return intents;
  }

  /**
   * Claims the intents in one store call. Runs that may start at once (overlap
   * `start`, a free slot held for each, nobody waiting in the ready line) are claimed and
   * moved to `running` in the claim's own transaction (store.runs.claimAndStart), so a run
   * starts as soon as its claim is won and never before. The rest stay `pending` and go to
   * the ready line, behind the task's running run, or wait for the next start().
   */
  private async claimAndStart(intents: ClaimIntent[], planned: Task[]): Promise<void> {
    const runs = this.deps.store.runs;
    const fast = runs.claimAndStart !== undefined && !this.stopped;
    let held = fast ? this.slots.holdForStart(intents) : 0;
    let won: ClaimedStart[] = [];
    // With claimAndStart the planned tasks' next triggers go in the claim's transaction
    // (a commit less per wake); otherwise they are written after the runs have started.
    let nextTriggersSaved = false;
    try {
      const claims = intents.map((i) => i.claim);
      if (fast) {
        const next = planned.map((t) => ({ id: t.id, nextTriggerAt: t.nextTriggerAt }));
        won = await this.retried(claims, () =>
          runs.claimAndStart!(claims, new Date(this.deps.clock.now()), next),
        );
        nextTriggersSaved = true;
      } else if (claims.length > 0) {
        won = await this.retried(claims, async () =>
          (await runs.claim(claims)).map((claimed) => ({ claimed, running: null })),
        );
      }
    } catch (err) {
      this.fail(err, `claiming ${intents.length} runs`);
    }
    // The won claims come back in input order, a subsequence of the intents.
    let w = 0;
    for (const intent of intents) {
      this.slots.reserve(intent.claim.taskId, intent.decision, -1);
      const hit = won[w];
      if (hit === undefined || !sameClaim(hit.claimed, intent.claim)) continue; // another node won
      w++;
      this.events.emit('run', hit.claimed);
      if (hit.running) {
        held--;
        this.slots.startHeld(hit.running);
        continue;
      }
      // Stopping: a claimed run stays pending; the next start() picks it up.
      if (hit.claimed.status !== 'pending' || this.stopped) continue;
      if (intent.decision === 'queue') this.slots.queueBehind(hit.claimed);
      else if (intent.decision === 'replace') this.slots.replace(hit.claimed);
      else this.slots.dispatch(hit.claimed);
    }
    this.slots.releaseSlots(held);
    if (!nextTriggersSaved)
      await saveNextTriggers(this.deps.store, planned, (err, what) => this.fail(err, what));
  }

  /** See withClaimRetry: a failed claim is retried until its occurrences would be missed. */
  private retried<T>(claims: RunClaim[], attempt: () => Promise<T>): Promise<T> {
    return withClaimRetry(claims, attempt, {
      clock: this.deps.clock,
      misfireThresholdMs: this.deps.config.scheduler.misfireThresholdMs,
      stopped: () => this.stopped,
      warn: this.deps.logger ? (obj, msg) => this.deps.logger!.warn(obj, msg) : undefined,
    });
  }

  private track(p: Promise<unknown>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private fail(err: unknown, what: string): void {
    const message = err instanceof Error ? err.message : String(err);
    if (this.deps.logger) this.deps.logger.error({ err: message }, `scheduler: ${what} failed`);
  }
}
