// Task operations (Taskr's Run Now and Reload; go-tasky's run, pause, resume, cancel) as
// ActiveResource custom methods: POST or PUT /tasks/:id/<op>, with any body or none (the
// client sends the whole record, or nothing). Never on GET: that is a 405 with Allow.
import Router from '@koa/router';
import type { Context } from 'koa';
import type { AppDeps } from '../createApp.js';
import { formatUrl, present, seeOther } from '../presenters/respond.js';
import { runView } from '../presenters/runPresenter.js';
import { taskView } from '../presenters/taskPresenter.js';
import { state } from '../state.js';
import { pathId } from './params.js';

export function taskOperationsRouter(deps: AppDeps): Router {
  const router = new Router();
  const backToTask = (ctx: Context, id: number) => seeOther(ctx, `/tasks/${id}`);

  async function run(ctx: Context): Promise<void> {
    const id = pathId(ctx.params.id, 'task');
    const r = await deps.tasks.runNow(id);
    if (state(ctx).format === 'html') return backToTask(ctx, id);
    ctx.set('Location', formatUrl(ctx, `/runs/${r.id}`));
    await present(ctx, {
      status: 201,
      root: 'run',
      value: runView(r),
      html: { view: 'runs/show', title: `Run ${r.id}` },
    });
  }

  function taskOp(op: 'pause' | 'resume' | 'reload') {
    return async (ctx: Context): Promise<void> => {
      const id = pathId(ctx.params.id, 'task');
      const task = await deps.tasks[op](id);
      if (state(ctx).format === 'html') return backToTask(ctx, id);
      await present(ctx, {
        root: 'task',
        value: taskView(task, deps.registry),
        html: { view: 'tasks/show', title: task.name },
      });
    };
  }

  async function cancel(ctx: Context): Promise<void> {
    const id = pathId(ctx.params.id, 'task');
    const runs = await deps.tasks.cancel(id);
    if (state(ctx).format === 'html') return backToTask(ctx, id);
    await present(ctx, {
      root: 'runs',
      value: runs.map(runView),
      html: { view: 'runs/index', title: 'Cancelled runs' },
    });
  }

  for (const [name, handler] of [
    ['run', run],
    ['pause', taskOp('pause')],
    ['resume', taskOp('resume')],
    ['reload', taskOp('reload')],
    ['cancel', cancel],
  ] as const) {
    router.post(`/tasks/:id/${name}`, handler);
    router.put(`/tasks/:id/${name}`, handler);
  }
  return router;
}
