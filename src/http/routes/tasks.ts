// Tasks: list, create, read, form, update (PUT and PATCH), delete, in HTML, XML and JSON.
// Status codes follow ActiveResource: create 201 + Location + the record; update 200 + the
// record; delete 200 with an empty body (XML) or 204 (JSON). HTML forms get 303 redirects,
// and on a validation error the form again, filled in, with the errors beside the fields.
import Router from '@koa/router';
import type { Context } from 'koa';
import { RUN_STATUSES, type Task, type TaskInput } from '../../domain/types.js';
import { ValidationError, type FieldError } from '../../errors.js';
import type { AppDeps } from '../createApp.js';
import { normaliseTaskInput, inputFromTask, type NormalisedTask } from '../input/taskInput.js';
import { upcomingFires } from '../nextFires.js';
import { errorView } from '../presenters/errorPresenter.js';
import { formatUrl, present, seeOther } from '../presenters/respond.js';
import { logEntryView, runView } from '../presenters/runPresenter.js';
import { emptyTaskInput, taskFormModel, taskFormPage } from '../presenters/taskFormPresenter.js';
import { taskTemplateView, taskView } from '../presenters/taskPresenter.js';
import { state } from '../state.js';
import {
  pagination,
  pathId,
  queryBoolean,
  queryChoice,
  queryString,
  setPageLinks,
} from './params.js';

/** `find(:all)` never paginates, so API formats get a page big enough to be "all". */
const API_PAGE_SIZE = 500;
const HTML_PAGE_SIZE = 50;
const STATUS_FILTERS = [...RUN_STATUSES, 'expired'] as const;

export function tasksRouter(deps: AppDeps): Router {
  const router = new Router();
  const declaresParam = (type: string, param: string) =>
    deps.registry.resolve(type)?.params.some((p) => p.name === param) ?? false;

  async function list(ctx: Context): Promise<void> {
    const html = state(ctx).format === 'html';
    const page = pagination(ctx, html ? HTML_PAGE_SIZE : API_PAGE_SIZE);
    const q = queryString(ctx, 'q');
    const status = queryChoice(ctx, 'status', STATUS_FILTERS);
    const enabled = queryBoolean(ctx, 'enabled');
    const { tasks, total } = await deps.tasks.list({
      q,
      status,
      enabled,
      offset: page.offset,
      limit: page.perPage,
    });
    setPageLinks(ctx, page, total);
    await present(ctx, {
      root: 'tasks',
      value: tasks.map((t) => taskView(t, deps.registry)),
      html: {
        view: 'tasks/index',
        title: 'Tasks',
        locals: {
          page,
          total,
          filters: { q: q ?? '', status: status ?? '', enabled },
          statusFilters: STATUS_FILTERS,
        },
      },
    });
  }

  /** The form page (HTML), with the errors of a failed submit when given. */
  async function showForm(
    ctx: Context,
    input: TaskInput,
    taskId: number | null,
    err?: unknown,
  ): Promise<void> {
    const types = deps.registry.describe();
    const view = err === undefined ? null : errorView(err);
    const secrets = taskId === null ? 'blank' : 'mask';
    const page = taskFormPage(
      taskFormModel(input, types, secrets),
      types,
      { taskId },
      view ? { fieldErrors: view.fieldErrors, messages: view.messages } : undefined,
    );
    await present(ctx, {
      status: view?.status ?? 200,
      root: 'task',
      value: null,
      html: {
        view: 'tasks/form',
        title: taskId === null ? 'New task' : `Edit ${input.name}`,
        locals: { ...page },
      },
    });
  }

  /** Throws every problem at once: the body's own and the service's validation. */
  async function rejectIfInvalid(norm: NormalisedTask, existingId?: number): Promise<void> {
    if (norm.errors.length === 0) return;
    const errors: FieldError[] = [...norm.errors];
    try {
      await deps.tasks.validate(norm.input, existingId);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      errors.push(...err.errors.filter((e) => !errors.some((n) => n.field === e.field)));
    }
    throw new ValidationError(errors);
  }

  /** Secrets the client was shown masked come back masked: keep the stored values. */
  function restoreSecrets(existing: Task, norm: NormalisedTask): void {
    norm.input.actions = norm.input.actions.map((a, i) => {
      const id = norm.actionIds[i];
      const stored =
        (id !== null && id !== undefined ? existing.actions.find((s) => s.id === id) : undefined) ??
        existing.actions[i];
      if (!stored) return a;
      const type = deps.registry.resolve(a.actionClassName);
      if (!type || type !== deps.registry.resolve(stored.actionClassName)) return a;
      return {
        ...a,
        parameters: deps.registry.restoreSecrets(type, a.parameters, stored.parameters),
      };
    });
  }

  async function create(ctx: Context): Promise<void> {
    const st = state(ctx);
    const norm = normaliseTaskInput(st.body, { createdBy: ctx.ip || null, declaresParam });
    let task: Task;
    try {
      await rejectIfInvalid(norm);
      task = await deps.tasks.create(norm.input);
    } catch (err) {
      if (st.format === 'html' && errorView(err).status === 422)
        return showForm(ctx, norm.input, null, err);
      throw err;
    }
    if (st.format === 'html') return seeOther(ctx, `/tasks/${task.id}`);
    ctx.set('Location', formatUrl(ctx, `/tasks/${task.id}`));
    await present(ctx, {
      status: 201,
      root: 'task',
      value: taskView(task, deps.registry),
      html: showPage(task),
    });
  }

  function showPage(task: Task) {
    return { view: 'tasks/show', title: task.name, locals: {} };
  }

  async function show(ctx: Context): Promise<void> {
    const task = await deps.tasks.get(pathId(ctx.params.id, 'task'));
    const locals: Record<string, unknown> = {};
    if (state(ctx).format === 'html') {
      const { runs, total } = await deps.store.runs.list({ taskId: task.id, limit: 10 });
      const logs = await deps.store.logs.list({ taskId: task.id, limit: 50 });
      locals.nextFires = upcomingFires(task, deps.config, deps.clock.now());
      locals.runs = runs.map(runView);
      locals.runsTotal = total;
      locals.logs = logs.map(logEntryView);
    }
    await present(ctx, {
      root: 'task',
      value: taskView(task, deps.registry),
      html: { ...showPage(task), locals },
    });
  }

  async function newTask(ctx: Context): Promise<void> {
    if (state(ctx).format === 'html') return showForm(ctx, emptyTaskInput(), null);
    await present(ctx, {
      root: 'task',
      value: taskTemplateView(),
      html: { view: 'tasks/show', title: 'New task' },
    });
  }

  async function edit(ctx: Context): Promise<void> {
    const task = await deps.tasks.get(pathId(ctx.params.id, 'task'));
    if (state(ctx).format === 'html') return showForm(ctx, inputFromTask(task), task.id);
    await present(ctx, {
      root: 'task',
      value: taskView(task, deps.registry),
      html: showPage(task),
    });
  }

  async function update(ctx: Context): Promise<void> {
    const st = state(ctx);
    const existing = await deps.tasks.get(pathId(ctx.params.id, 'task'));
    const norm = normaliseTaskInput(st.body, { existing, declaresParam });
    if (norm.actionsGiven) restoreSecrets(existing, norm);
    let task: Task;
    try {
      await rejectIfInvalid(norm, existing.id);
      task = await deps.tasks.update(existing.id, norm.input);
    } catch (err) {
      if (st.format === 'html' && errorView(err).status === 422)
        return showForm(ctx, norm.input, existing.id, err);
      throw err;
    }
    if (st.format === 'html') return seeOther(ctx, `/tasks/${task.id}`);
    await present(ctx, {
      root: 'task',
      value: taskView(task, deps.registry),
      html: showPage(task),
    });
  }

  async function destroy(ctx: Context): Promise<void> {
    await deps.tasks.delete(pathId(ctx.params.id, 'task'));
    const format = state(ctx).format;
    if (format === 'html') return seeOther(ctx, '/tasks');
    if (format === 'json') {
      ctx.status = 204;
      return;
    }
    // ActiveResource accepts any 2xx; Taskr answered 200 with an empty XML body.
    ctx.status = 200;
    ctx.set('Content-Type', 'application/xml; charset=utf-8');
    ctx.body = '';
  }

  router.get('/tasks', list);
  router.post('/tasks', create);
  router.get('/tasks/new', newTask);
  router.get('/tasks/:id', show);
  router.get('/tasks/:id/edit', edit);
  router.put('/tasks/:id', update);
  router.patch('/tasks/:id', update);
  router.delete('/tasks/:id', destroy);
  return router;
}
