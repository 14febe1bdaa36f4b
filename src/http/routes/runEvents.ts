// Live run output for the dashboard: GET /runs/:id/events is a server-sent event stream of
// the run's output lines ('output': {seq, order, line}) and status changes ('run'), ending
// with 'end' once the run is finished. The scheduler emits these in-process only, so a
// recorder keeps the lines of runs in progress: a page that connects mid-run first gets the
// lines it missed (after Last-Event-ID when the browser reconnects), then the live ones.
import { PassThrough } from 'node:stream';
import Router from '@koa/router';
import type { Context } from 'koa';
import { isTerminal } from '../../domain/runStatus.js';
import type { Run } from '../../domain/types.js';
import { TaskrError } from '../../errors.js';
import type { SchedulerEvents } from '../../scheduler/schedulerApi.js';
import type { AppDeps } from '../createApp.js';
import { formatInstant } from '../presenters/viewModel.js';
import { pathId } from './params.js';

/** Lines kept per run in progress; beyond it a late page misses the middle (the run keeps its own capped output). */
const MAX_LINES = 5000;
const HEARTBEAT_MS = 15_000;

interface Line {
  seq: number;
  order: number;
  line: string;
}

type Listener = (event: string, data: unknown, id?: number) => void;

/** Buffers the output of runs in progress and fans events out to subscribers, per run. */
class LiveRuns {
  private readonly lines = new Map<number, Line[]>();
  private readonly seqs = new Map<number, number>();
  private readonly listeners = new Map<number, Set<Listener>>();

  constructor(events: SchedulerEvents) {
    events.on('output', (e: { runId: number; order: number; line: string }) => this.output(e));
    events.on('run', (run: Run) => this.run(run));
  }

  private output(e: { runId: number; order: number; line: string }): void {
    const seq = (this.seqs.get(e.runId) ?? 0) + 1;
    this.seqs.set(e.runId, seq);
    const line: Line = { seq, order: e.order, line: e.line };
    const kept = this.lines.get(e.runId) ?? [];
    if (kept.length < MAX_LINES) kept.push(line);
    this.lines.set(e.runId, kept);
    for (const l of this.listeners.get(e.runId) ?? []) l('output', line, seq);
  }

  private run(run: Run): void {
    for (const l of this.listeners.get(run.id) ?? []) l('run', runStatusView(run));
    if (isTerminal(run.status)) {
      // The store now holds the results with their output: the buffer is no longer needed.
      this.lines.delete(run.id);
      this.seqs.delete(run.id);
    }
  }

  linesAfter(runId: number, seq: number): Line[] {
    return (this.lines.get(runId) ?? []).filter((l) => l.seq > seq);
  }

  subscribe(runId: number, listener: Listener): () => void {
    const set = this.listeners.get(runId) ?? new Set();
    set.add(listener);
    this.listeners.set(runId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(runId);
    };
  }
}

function runStatusView(run: Run): Record<string, unknown> {
  const t = (d: Date | null) => (d ? formatInstant(d) : null);
  return {
    id: run.id,
    status: run.status,
    started_at: t(run.startedAt),
    finished_at: t(run.finishedAt),
    duration_ms: run.durationMs,
    error: run.error,
  };
}

// One recorder per scheduler, however many apps are built on it.
const recorders = new WeakMap<SchedulerEvents, LiveRuns>();

function liveRuns(events: SchedulerEvents): LiveRuns {
  let r = recorders.get(events);
  if (!r) {
    r = new LiveRuns(events);
    recorders.set(events, r);
  }
  return r;
}

function sse(event: string, data: unknown, id?: number): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export function runEventsRouter(deps: AppDeps): Router {
  const router = new Router();
  const live = liveRuns(deps.scheduler.events);

  async function events(ctx: Context): Promise<void> {
    const id = pathId(ctx.params.id, 'run');
    const stream = new PassThrough();
    const send: Listener = (event, data, seq) => {
      if (!stream.writableEnded) stream.write(sse(event, data, seq));
      if (event === 'run' && isTerminal((data as { status: Run['status'] }).status)) finish();
    };
    // Subscribe before reading the run, so an end between the two is not lost.
    const unsubscribe = live.subscribe(id, send);
    const heartbeat = setInterval(() => stream.write(': ping\n\n'), HEARTBEAT_MS);
    function finish(): void {
      unsubscribe();
      clearInterval(heartbeat);
      if (!stream.writableEnded) stream.end(sse('end', {}));
    }
    const run = await deps.store.runs.get(id).catch((err: unknown) => {
      finish();
      throw err;
    });
    if (!run) {
      finish();
      throw new TaskrError('run.not_found', { id });
    }
    ctx.req.socket.setTimeout(0);
    ctx.req.socket.setNoDelay(true);
    ctx.req.on('close', finish);
    ctx.status = 200;
    ctx.set('Content-Type', 'text/event-stream; charset=utf-8');
    ctx.set('Cache-Control', 'no-cache, no-transform');
    ctx.set('X-Accel-Buffering', 'no');
    ctx.body = stream;
    stream.write('retry: 2000\n\n');
    const after = Number(ctx.get('Last-Event-ID')) || 0;
    for (const l of live.linesAfter(id, after)) stream.write(sse('output', l, l.seq));
    send('run', runStatusView(run));
  }

  router.get('/runs/:id/events', events);
  return router;
}
