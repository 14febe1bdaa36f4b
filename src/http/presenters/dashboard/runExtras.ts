// Extras of the run page: whether it is live (its output streams in while in progress) and
// the task's actions, so the page can show a place for each action before it has output.
import { ACTIVE_RUN_STATUSES } from '../../../domain/runStatus.js';
import type { RunStatus } from '../../../domain/types.js';
import type { HtmlPage } from '../html.js';
import type { ViewRecord } from '../viewModel.js';
import type { DashboardRequest } from './context.js';

export async function runPageExtras(
  _req: DashboardRequest,
  page: HtmlPage,
): Promise<Record<string, unknown>> {
  const run = page.locals?.model as ViewRecord | undefined;
  if (!run || typeof run.id !== 'number') return {};
  const live = ACTIVE_RUN_STATUSES.includes(run.status as RunStatus);
  return { live, eventsUrl: `/runs/${run.id}/events` };
}
