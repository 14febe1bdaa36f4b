// The root redirect, the health check and the dashboard's static assets (served by the
// daemon itself: no CDN).
import { readFile } from 'node:fs/promises';
import Router from '@koa/router';
import type { Context } from 'koa';
import type { AppDeps } from '../createApp.js';
import { CONTENT_TYPES } from '../middleware/format.js';
import { HttpError } from '../httpError.js';
import { VIEWS_DIR } from '../presenters/html.js';
import { renderJson } from '../presenters/viewModel.js';
import { renderXml } from '../xml/renderXml.js';
import { state } from '../state.js';

const ASSETS: Readonly<Record<string, string>> = {
  'taskr.css': 'text/css; charset=utf-8',
  'taskr.js': 'text/javascript; charset=utf-8',
};

export function miscRouter(deps: AppDeps): Router {
  const router = new Router();

  router.get('/', (ctx: Context) => {
    const st = state(ctx);
    ctx.redirect(st.formatExplicit && st.format !== 'html' ? `/tasks.${st.format}` : '/tasks');
  });

  // Monitoring wants JSON: it is the default here unless XML or HTML is asked for explicitly.
  router.get('/health', (ctx: Context) => {
    const st = state(ctx);
    const value = { status: 'ok', version: deps.version };
    const format = st.formatExplicit ? st.format : 'json';
    ctx.set('Content-Type', CONTENT_TYPES[format]);
    if (format === 'xml') ctx.body = renderXml('health', value);
    else if (format === 'html')
      ctx.body = `<!doctype html><title>Taskr health</title><p>status: ok (Taskr ${deps.version})</p>\n`;
    else ctx.body = renderJson(value);
  });

  router.get('/assets/:file', async (ctx: Context) => {
    const file = String(ctx.params.file);
    const type = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
    if (!type) throw new HttpError(404, `no asset named '${file.slice(0, 40)}'`);
    ctx.set('Content-Type', type);
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = await readFile(`${VIEWS_DIR}assets/${file}`);
  });

  return router;
}
