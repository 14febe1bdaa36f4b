// The request a page is being rendered for, so HTML-only extras (the scheduler footer, the
// last run of each listed task, the task page's chart and log filters) can be gathered by
// the HTML presenter without the format-neutral routes knowing about them. AsyncLocalStorage
// carries it from this middleware to renderPage; outside a request (or in unit renders)
// there is none and pages render without the extras.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context, Next } from 'koa';
import type { AppDeps } from '../../createApp.js';

export interface DashboardRequest {
  deps: AppDeps;
  ctx: Context;
}

const current = new AsyncLocalStorage<DashboardRequest>();

export function dashboardRequest(): DashboardRequest | undefined {
  return current.getStore();
}

/** Koa middleware: makes the deps and the request visible to the HTML presenter. */
export function dashboardContext(deps: AppDeps) {
  return function withDashboard(ctx: Context, next: Next): Promise<void> {
    return current.run({ deps, ctx }, next);
  };
}
