// The task log (Taskr's log_entries): filter by task, run, since and level (that level and
// more severe ones), newest first unless order=asc; after_id to follow a log.
import Router from '@koa/router';
import type { Context } from 'koa';
import { LOG_LEVELS } from '../../domain/types.js';
import type { AppDeps } from '../createApp.js';
import { present } from '../presenters/respond.js';
import { logEntryView } from '../presenters/runPresenter.js';
import { queryChoice, queryDate, queryInt } from './params.js';

const DEFAULT_LIMIT = 200;
const MAX_LIMIT = 5000;
const MAX_ID = Number.MAX_SAFE_INTEGER;

export function logEntriesRouter(deps: AppDeps): Router {
  const router = new Router();

  async function list(ctx: Context): Promise<void> {
    const query = {
      taskId: queryInt(ctx, 'task_id', 1, MAX_ID),
      runId: queryInt(ctx, 'run_id', 1, MAX_ID),
      since: queryDate(ctx, 'since'),
      level: queryChoice(ctx, 'level', LOG_LEVELS),
      afterId: queryInt(ctx, 'after_id', 0, MAX_ID),
      limit: queryInt(ctx, 'limit', 1, MAX_LIMIT) ?? DEFAULT_LIMIT,
      order: queryChoice(ctx, 'order', ['asc', 'desc'] as const) ?? 'desc',
    };
    const entries = await deps.store.logs.list(query);
    await present(ctx, {
      root: 'log_entries',
      value: entries.map(logEntryView),
      html: {
        view: 'log_entries/index',
        title: 'Log',
        locals: { filters: query, levels: LOG_LEVELS },
      },
    });
  }

  router.get('/log_entries', list);
  return router;
}
