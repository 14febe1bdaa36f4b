// Runs: a task's runs (newest first, paginated), one run with each action's result and
// output, and a task's statistics.
import Router from '@koa/router';
import type { Context } from 'koa';
import { TaskrError } from '../../errors.js';
import type { AppDeps } from '../createApp.js';
import { present } from '../presenters/respond.js';
import { logEntryView, runView } from '../presenters/runPresenter.js';
import { taskView } from '../presenters/taskPresenter.js';
import { taskStats } from '../stats.js';
import { state } from '../state.js';
import { pagination, pathId, setPageLinks } from './params.js';

const RUNS_PAGE_SIZE = 50;

export function runsRouter(deps: AppDeps): Router {
  const router = new Router();

  async function taskRuns(ctx: Context): Promise<void> {
    const task = await deps.tasks.get(pathId(ctx.params.id, 'task'));
    const page = pagination(ctx, RUNS_PAGE_SIZE);
    const { runs, total } = await deps.store.runs.list({
      taskId: task.id,
      offset: page.offset,
      limit: page.perPage,
    });
    setPageLinks(ctx, page, total);
    await present(ctx, {
      root: 'runs',
      value: runs.map(runView),
      html: {
        view: 'runs/index',
        title: `Runs of ${task.name}`,
        locals: { task: taskView(task, deps.registry), page, total },
      },
    });
  }

  async function showRun(ctx: Context): Promise<void> {
    const id = pathId(ctx.params.id, 'run');
    const run = await deps.store.runs.get(id);
    if (!run) throw new TaskrError('run.not_found', { id });
    const locals: Record<string, unknown> = {};
    if (state(ctx).format === 'html') {
      const task = await deps.store.tasks.get(run.taskId);
      locals.task = task ? taskView(task, deps.registry) : null;
      locals.logs = (await deps.store.logs.list({ runId: run.id, limit: 500, order: 'asc' })).map(
        logEntryView,
      );
    }
    await present(ctx, {
      root: 'run',
      value: runView(run),
      html: { view: 'runs/show', title: `Run ${run.id}`, locals },
    });
  }

  async function stats(ctx: Context): Promise<void> {
    const task = await deps.tasks.get(pathId(ctx.params.id, 'task'));
    const value = await taskStats(deps.store, task, deps.config, deps.clock.now());
    await present(ctx, {
      root: 'stats',
      value,
      html: {
        view: 'tasks/stats',
        title: `Statistics of ${task.name}`,
        locals: { task: taskView(task, deps.registry) },
      },
    });
  }

  router.get('/tasks/:id/runs', taskRuns);
  router.get('/tasks/:id/stats', stats);
  router.get('/runs/:id', showRun);
  return router;
}
