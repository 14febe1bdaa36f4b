// The scheduler's state as the page footer shows it: is it running, how precise its timer
// is, how much it is doing, which version and for how long.
import type { AppDeps } from '../../createApp.js';
import { durationText } from './timeText.js';

export interface FooterView {
  running: boolean;
  timerPrecision: string;
  tasksScheduled: number;
  runsInProgress: number;
  version: string;
  node: string;
  /** '' when the scheduler has not started. */
  uptime: string;
  startedAt: Date | null;
}

export function footerView(deps: Pick<AppDeps, 'scheduler' | 'version'>, now: number): FooterView {
  const s = deps.scheduler.status();
  const up = s.startedAt ? Math.max(0, now - s.startedAt.getTime()) : null;
  return {
    running: s.running,
    timerPrecision: durationText(s.timerCapMs),
    tasksScheduled: s.tasksScheduled,
    runsInProgress: s.runsInProgress,
    version: deps.version,
    node: s.node,
    uptime: up === null ? '' : up < 1000 ? 'just started' : durationText(up),
    startedAt: s.startedAt,
  };
}
