// Action types (go-tasky's worker info): each allowed type's description and declared
// parameters, for scripts and the dashboard's task form.
import Router from '@koa/router';
import type { Context } from 'koa';
import type { AppDeps } from '../createApp.js';
import { HttpError } from '../httpError.js';
import { actionTypeView } from '../presenters/actionTypePresenter.js';
import { present } from '../presenters/respond.js';

export function actionTypesRouter(deps: AppDeps): Router {
  const router = new Router();

  async function list(ctx: Context): Promise<void> {
    await present(ctx, {
      root: 'action_types',
      value: deps.registry.describe().map(actionTypeView),
      html: { view: 'action_types/index', title: 'Action types' },
    });
  }

  async function show(ctx: Context): Promise<void> {
    const name = String(ctx.params.name ?? '');
    const described = deps.registry.describe();
    const canonical = deps.registry.resolve(name)?.name;
    const type = described.find((t) => t.name === canonical);
    if (!type) {
      const known = described.map((t) => t.name).join(', ') || '(none)';
      throw new HttpError(404, `action type '${name.slice(0, 40)}' not found; known: ${known}`);
    }
    await present(ctx, {
      root: 'action_type',
      value: actionTypeView(type),
      html: { view: 'action_types/show', title: `Action type ${type.name}` },
    });
  }

  router.get('/action_types', list);
  router.get('/action_types/:name', show);
  return router;
}
