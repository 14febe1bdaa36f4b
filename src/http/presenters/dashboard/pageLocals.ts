// What the dashboard shows beyond a resource's view model, gathered per page from the
// request in progress (see ./context.ts): the scheduler footer on every page, plus
// page-specific extras. Without a request context pages still render, without extras.
import type { HtmlPage } from '../html.js';
import type { DashboardRequest } from './context.js';
import { dashboardRequest } from './context.js';
import { footerView, type FooterView } from './footer.js';
import { taskFormExtras } from './formExtras.js';
import { runPageExtras } from './runExtras.js';
import { taskListExtras, taskPageExtras } from './taskExtras.js';

export interface DashboardLocals {
  /** Render time (ms): relative times are computed against it. */
  now: number;
  footer: FooterView | null;
  /** The daemon's zone: exact times are shown in it. */
  timezone: string;
  /** The request path (the layout marks the current section). */
  path: string;
  locals: Record<string, unknown>;
}

type Extras = (req: DashboardRequest, page: HtmlPage) => Promise<Record<string, unknown>>;

const BY_VIEW: Readonly<Record<string, Extras>> = {
  'tasks/index': taskListExtras,
  'tasks/show': taskPageExtras,
  'tasks/form': taskFormExtras,
  'runs/show': runPageExtras,
};

export async function dashboardLocals(page: HtmlPage): Promise<DashboardLocals> {
  const req = dashboardRequest();
  if (!req) return { now: Date.now(), timezone: 'UTC', footer: null, path: '', locals: {} };
  const now = req.deps.clock.now();
  const extras = BY_VIEW[page.view];
  return {
    now,
    timezone: req.deps.config.timezone,
    footer: footerView(req.deps, now),
    path: req.ctx.path,
    locals: extras ? await extras(req, page) : {},
  };
}
