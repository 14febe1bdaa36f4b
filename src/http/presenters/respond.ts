// One representation, three formats: the route builds the view model once and this picks
// XML, JSON or the HTML page, with the right Content-Type.
import type { Context } from 'koa';
import { CONTENT_TYPES } from '../middleware/format.js';
import { state } from '../state.js';
import { renderXml } from '../xml/renderXml.js';
import { renderPage, type HtmlPage } from './html.js';
import { renderJson, type ViewValue } from './viewModel.js';

export interface Representation {
  status?: number;
  /** XML root element: `task` for a record, `tasks` for a collection (type="array"). */
  root: string;
  value: ViewValue;
  /** The HTML page; gets the view model as `model` plus its own locals. */
  html: HtmlPage;
}

export async function present(ctx: Context, rep: Representation): Promise<void> {
  const format = state(ctx).format;
  const status = rep.status ?? 200;
  let body: string;
  if (format === 'xml') body = renderXml(rep.root, rep.value);
  else if (format === 'json') body = renderJson(rep.value);
  else body = await renderPage({ ...rep.html, locals: { model: rep.value, ...rep.html.locals } });
  ctx.status = status;
  ctx.set('Content-Type', CONTENT_TYPES[format]);
  ctx.body = body;
}

/** 303 See Other after an HTML form (a browser then GETs the target). */
export function seeOther(ctx: Context, location: string): void {
  ctx.status = 303;
  ctx.redirect(location);
}

/** The URL of a resource in the request's format style (`/tasks/7.xml`). */
export function formatUrl(ctx: Context, path: string): string {
  const format = state(ctx).format;
  return format === 'html' ? path : `${path}.${format}`;
}
