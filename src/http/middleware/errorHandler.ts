// Renders every error in the negotiated format: XML `<errors><error>...</error></errors>`
// (no type attribute, as ActiveResource reads it), JSON `{"error", "errors"}`, or an HTML
// page. Client mistakes keep their 4xx; only unexpected failures are a 500, and those are
// reported through `onServerError` (the daemon logs them).
import type { Context, Next } from 'koa';
import { CONTENT_TYPES, type Format } from './format.js';
import { errorJson, errorView, type ErrorView } from '../presenters/errorPresenter.js';
import { renderPage } from '../presenters/html.js';
import { renderJson } from '../presenters/viewModel.js';
import { renderXmlErrors } from '../xml/renderXml.js';

export type ServerErrorReporter = (err: unknown, ctx: Context) => void;

async function errorBody(format: Format, view: ErrorView): Promise<string> {
  if (format === 'xml') return renderXmlErrors(view.messages);
  if (format === 'json') return renderJson(errorJson(view));
  return renderPage({
    view: 'error',
    title: `Error ${view.status}`,
    locals: { status: view.status, messages: view.messages },
  });
}

export async function sendError(
  ctx: Context,
  err: unknown,
  onServerError?: ServerErrorReporter,
): Promise<void> {
  const view = errorView(err);
  if (view.internal) onServerError?.(err, ctx);
  const format: Format = (ctx.state as { format?: Format }).format ?? 'html';
  let body: string;
  try {
    body = await errorBody(format, view);
  } catch (renderErr) {
    onServerError?.(renderErr, ctx);
    body = view.messages.join('\n');
  }
  ctx.status = view.status;
  for (const [k, v] of Object.entries(view.headers)) ctx.set(k, v);
  ctx.set('Content-Type', CONTENT_TYPES[format]);
  ctx.body = body;
}

export function errorHandler(onServerError?: ServerErrorReporter) {
  return async function handleErrors(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
    } catch (err) {
      await sendError(ctx, err, onServerError);
    }
  };
}
