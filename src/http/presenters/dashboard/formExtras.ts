// Extras of the task form: the daemon's defaults (shown as placeholders, so "blank" has a
// visible meaning) and the duration fields as people type them. After a failed submit the
// policy fields show exactly what was typed: the parsed model loses a value that did not
// parse (`timeout=abc` would come back blank) and rewrites one that did (`30m` as 1800000).
import { unwrapTask } from '../../input/taskInput.js';
import { isPlainObject, textOf } from '../../input/values.js';
import { state } from '../../state.js';
import type { HtmlPage } from '../html.js';
import type { TaskFormModel } from '../taskFormPresenter.js';
import type { DashboardRequest } from './context.js';
import { compactDuration } from './timeText.js';

const TYPED_FIELDS = ['timeout', 'retries', 'retry_backoff'] as const;
const DURATION_FIELDS = ['timeout', 'retry_backoff'] as const;

/** For the time zone field's suggestions. */
const TIMEZONES: readonly string[] = Intl.supportedValuesOf('timeZone');

function asDuration(text: string): string {
  return /^\d+$/.test(text) ? compactDuration(Number(text)) : text;
}

export async function taskFormExtras(
  { deps, ctx }: DashboardRequest,
  page: HtmlPage,
): Promise<Record<string, unknown>> {
  const model = page.locals?.form as TaskFormModel | undefined;
  if (!model) return {};
  const form: TaskFormModel = { ...model };
  for (const f of DURATION_FIELDS) form[f] = asDuration(form[f]);
  const st = state(ctx);
  if (ctx.method !== 'GET' && isPlainObject(st.body)) {
    const src = unwrapTask(st.body);
    const policies = isPlainObject(src.policies) ? src.policies : {};
    for (const f of TYPED_FIELDS) {
      const raw = src[f] ?? policies[f];
      if (raw !== undefined) form[f] = textOf(raw);
    }
  }
  const d = deps.config.defaults;
  return {
    form,
    defaults: {
      overlap: d.overlap,
      misfire: d.misfire,
      timeout: compactDuration(d.timeoutMs),
      retries: String(d.retries),
      retry_backoff: compactDuration(d.retryBackoffMs),
      timezone: deps.config.timezone,
    },
    timezones: TIMEZONES,
  };
}
