// Extras of the task list (each task's last run and schedule in words) and of the task page
// (schedule in words, runs in progress, the chart of the last 50 runs, the filtered log).
import type { Context } from 'koa';
import type { Config } from '../../../config/config.js';
import { LOG_LEVELS, type LogLevel } from '../../../domain/types.js';
import { describeSchedule, parseSchedule } from '../../../schedule/schedule.js';
import type { HtmlPage } from '../html.js';
import { logEntryView, runView } from '../runPresenter.js';
import { runsChart } from '../svgChart.js';
import type { ViewRecord } from '../viewModel.js';
import type { DashboardRequest } from './context.js';

const CHART_RUNS = 50;
const LOG_LIMIT = 100;

export const LOG_RANGES = [
  { value: '1h', label: 'last hour', ms: 3_600_000 },
  { value: '24h', label: 'last 24 hours', ms: 86_400_000 },
  { value: '7d', label: 'last 7 days', ms: 7 * 86_400_000 },
  { value: 'all', label: 'all', ms: null },
] as const;

/** "every 5 minutes"; '' when the stored schedule no longer parses. */
export function scheduleInWords(t: ViewRecord, config: Readonly<Config>, now: number): string {
  try {
    const parsed = parseSchedule(t.schedule_method, t.schedule_when, {
      timezone: (t.timezone as string | null) ?? null,
      defaultTimezone: config.timezone,
      now,
    });
    return describeSchedule(parsed);
  } catch {
    return '';
  }
}

export async function taskListExtras(
  { deps }: DashboardRequest,
  page: HtmlPage,
): Promise<Record<string, unknown>> {
  const tasks = (page.locals?.model ?? []) as ViewRecord[];
  const now = deps.clock.now();
  const lastRuns: Record<number, ViewRecord> = {};
  const descriptions: Record<number, string> = {};
  await Promise.all(
    tasks.map(async (t) => {
      const id = t.id as number;
      descriptions[id] = scheduleInWords(t, deps.config, now);
      const { runs } = await deps.store.runs.list({ taskId: id, limit: 1 });
      if (runs[0]) lastRuns[id] = runView(runs[0]);
    }),
  );
  return { lastRuns, descriptions };
}

function queryText(ctx: Context, key: string): string {
  const v = ctx.query[key];
  return typeof v === 'string' ? v : '';
}

export async function taskPageExtras(
  { deps, ctx }: DashboardRequest,
  page: HtmlPage,
): Promise<Record<string, unknown>> {
  const task = page.locals?.model as ViewRecord | undefined;
  if (!task || typeof task.id !== 'number') return {};
  const now = deps.clock.now();
  const range = LOG_RANGES.find((r) => r.value === queryText(ctx, 'log_since')) ?? LOG_RANGES[3];
  const levelText = queryText(ctx, 'log_level').toUpperCase();
  const level = (LOG_LEVELS as readonly string[]).includes(levelText)
    ? (levelText as LogLevel)
    : undefined;
  const [recent, active, logs] = await Promise.all([
    deps.store.runs.list({ taskId: task.id, limit: CHART_RUNS }),
    deps.store.runs.active(task.id),
    deps.store.logs.list({
      taskId: task.id,
      level,
      since: range.ms === null ? undefined : new Date(now - range.ms),
      limit: LOG_LIMIT,
    }),
  ]);
  return {
    description: scheduleInWords(task, deps.config, now),
    chart: runsChart(recent.runs),
    activeRuns: active.map(runView),
    logs: logs.map(logEntryView),
    logFilter: { since: range.value, level: level ?? '' },
    logRanges: LOG_RANGES,
    logLevels: LOG_LEVELS,
    logLimit: LOG_LIMIT,
    defaults: deps.config.defaults,
  };
}
