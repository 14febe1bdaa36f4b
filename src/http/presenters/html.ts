// HTML pages: an ejs view rendered inside views/layout.ejs. Templates get the view model
// of their resource plus small formatting helpers (ejs escapes every <%= %> output).
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import { formatInstant } from './viewModel.js';
import { humanize } from './errorPresenter.js';

export const VIEWS_DIR = fileURLToPath(new URL('../../../views/', import.meta.url));

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

/** 1500 -> "1.5s", 125000 -> "2m 5s": durations as people read them. */
function duration(ms: unknown): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
  const total = Math.round(ms / 1000);
  const units: [string, number][] = [
    ['d', Math.floor(total / 86_400)],
    ['h', Math.floor((total % 86_400) / 3600)],
    ['m', Math.floor((total % 3600) / 60)],
    ['s', total % 60],
  ];
  const parts = units.filter(([, n]) => n > 0).map(([unit, n]) => `${n}${unit}`);
  return parts.slice(0, 2).join(' ');
}

export const helpers = Object.freeze({ time, duration, humanize });

// root: lets templates include shared partials by absolute path ('/partials/csrf').
const renderOptions = { cache: true, async: false, rmWhitespace: false, root: VIEWS_DIR } as const;

async function renderFile(view: string, data: Record<string, unknown>): Promise<string> {
  return ejs.renderFile(`${VIEWS_DIR}${view}.ejs`, data, renderOptions);
}

export async function renderPage(page: HtmlPage): Promise<string> {
  const data = { h: helpers, title: page.title, ...page.locals };
  const body = await renderFile(page.view, data);
  return renderFile('layout', { ...data, body });
}
