// HTML pages: an ejs view rendered inside views/layout.ejs. Templates get the view model
// of their resource, the dashboard's extras for that page (see dashboard/pageLocals.ts)
// and small formatting helpers (ejs escapes every <%= %> output).
import { join, sep } from 'node:path';
import ejs from 'ejs';
import { PACKAGE_ROOT } from '../../paths.js';
import { DateTime } from 'luxon';
import { formatInstant } from './viewModel.js';
import { humanize } from './errorPresenter.js';
import { dashboardLocals } from './dashboard/pageLocals.js';
import { durationText, relativeText } from './dashboard/timeText.js';
import { currentCsrfToken } from '../security/requestContext.js';

export const VIEWS_DIR = join(PACKAGE_ROOT, 'views') + sep;

export interface HtmlPage {
  /** Path under views/ without `.ejs`, e.g. `tasks/show`. */
  view: string;
  title: string;
  locals?: Record<string, unknown>;
}

function time(value: unknown): string {
  if (value instanceof Date) return formatInstant(value);
  return value === null || value === undefined ? '' : String(value);
}

/** Run statuses that mean "it went wrong" (badge colour, row mark). */
const FAILED = new Set(['failed', 'timed_out', 'interrupted']);

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** "Tue 2026-03-03 09:00:00 EST": an instant as read in a zone (the daemon's by default). */
function exactIn(value: Date, zone: string): string {
  const dt = DateTime.fromJSDate(value, { zone });
  return (dt.isValid ? dt : DateTime.fromJSDate(value, { zone: 'UTC' })).toFormat(
    'ccc yyyy-MM-dd HH:mm:ss ZZZZ',
  );
}

function helpersAt(now: number, defaultZone: string) {
  return Object.freeze({
    time,
    duration: durationText,
    humanize,
    now,
    /** "in 5 min" / "3 h ago" against the render time. */
    relative: (value: unknown) => relativeText(value, now),
    isFailed: (status: unknown) => FAILED.has(String(status)),
    exact: (value: unknown, zone?: string | null) =>
      value instanceof Date ? exactIn(value, zone || defaultZone) : '',
    /** `<time>` showing the instant in a zone, the ISO instant as its title (HTML, escaped). */
    exactTag: (value: unknown, zone?: string | null, empty = '—') => {
      if (!(value instanceof Date)) return escapeHtml(empty);
      const iso = formatInstant(value);
      const text = exactIn(value, zone || defaultZone);
      return `<time datetime="${iso}" title="${iso}">${escapeHtml(text)}</time>`;
    },
    /** `<time>` showing "in 5 min" with the exact instant as its title (HTML, already escaped). */
    timeTag: (value: unknown, empty = '—') => {
      if (!(value instanceof Date)) return escapeHtml(empty);
      const iso = formatInstant(value);
      return `<time datetime="${iso}" title="${iso}">${escapeHtml(relativeText(value, now))}</time>`;
    },
    /** `?a=1&b=2` from the non-empty entries (for filter links). */
    query: (params: Record<string, unknown>) => {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(params)) {
        if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
      }
      const text = q.toString();
      return text ? `?${text}` : '';
    },
  });
}

// root: lets templates include shared partials by absolute path ('/partials/csrf').
const renderOptions = { cache: true, async: false, rmWhitespace: false, root: VIEWS_DIR } as const;

async function renderFile(view: string, data: Record<string, unknown>): Promise<string> {
  return ejs.renderFile(`${VIEWS_DIR}${view}.ejs`, data, renderOptions);
}

export async function renderPage(page: HtmlPage): Promise<string> {
  const extras = await dashboardLocals(page);
  const h = helpersAt(extras.now, extras.timezone);
  // Route locals first; the dashboard's extras may refine them (e.g. the form's raw values).
  const data = { h, title: page.title, ...page.locals, ...extras.locals };
  Object.assign(data, { footer: extras.footer, path: extras.path });
  // The request's token for the forms' `_csrf` field (views/partials/csrf.ejs).
  Object.assign(data, { csrfToken: currentCsrfToken() });
  const body = await renderFile(page.view, data);
  return renderFile('layout', { ...data, body });
}
