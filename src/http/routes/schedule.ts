// Schedule preview: the next fire times of a schedule (or its validation error, 422), so a
// form can show what `every 90m` or `0 9 * * Mon-Fri` means before saving.
import Router from '@koa/router';
import type { Context } from 'koa';
import { describeSchedule, nextFireTimes, parseSchedule } from '../../schedule/schedule.js';
import type { AppDeps } from '../createApp.js';
import { present } from '../presenters/respond.js';
import { queryInt, queryString } from './params.js';

const DEFAULT_COUNT = 5;
const MAX_COUNT = 100;

export function scheduleRouter(deps: AppDeps): Router {
  const router = new Router();

  async function preview(ctx: Context): Promise<void> {
    const method = queryString(ctx, 'schedule_method');
    const when = queryString(ctx, 'schedule_when');
    const timezone = queryString(ctx, 'timezone') ?? null;
    const count = queryInt(ctx, 'count', 1, MAX_COUNT) ?? DEFAULT_COUNT;
    const now = deps.clock.now();
    const schedule = parseSchedule(method, when, {
      timezone,
      defaultTimezone: deps.config.timezone,
      now,
    });
    await present(ctx, {
      root: 'schedule',
      value: {
        schedule_method: schedule.method,
        schedule_when: schedule.when,
        timezone: schedule.timezone,
        description: describeSchedule(schedule),
        next_fire_times: nextFireTimes(schedule, new Date(now), count),
      },
      html: { view: 'schedule/preview', title: 'Schedule preview' },
    });
  }

  router.get('/schedule/preview', preview);
  return router;
}
