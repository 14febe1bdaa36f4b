// GET /metrics (Prometheus text) and GET /ready (200 or 503 with the reason). /ready answers
// JSON unless XML or HTML is asked for explicitly, like /health.
import Router from '@koa/router';
import type { Context } from 'koa';
import { CONTENT_TYPES } from '../http/middleware/format.js';
import { renderJson } from '../http/presenters/viewModel.js';
import { state } from '../http/state.js';
import { renderXml } from '../http/xml/renderXml.js';
import { PROMETHEUS_CONTENT_TYPE } from './metrics.js';
import { checkReadiness, type ReadinessDeps } from './readiness.js';
import type { TaskrMetrics } from './taskrMetrics.js';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function opsRouter(deps: ReadinessDeps & { metrics: Pick<TaskrMetrics, 'render'> }): Router {
  const router = new Router();

  router.get('/metrics', async (ctx: Context) => {
    const text = await deps.metrics.render();
    ctx.set('Content-Type', PROMETHEUS_CONTENT_TYPE);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = text;
  });

  router.get('/ready', async (ctx: Context) => {
    const r = await checkReadiness(deps);
    const value = {
      status: r.ready ? 'ready' : 'not_ready',
      reason: r.ready
        ? null
        : Object.values(r.checks)
            .filter((c) => !c.ok)
            .map((c) => c.message)
            .join('; '),
      checks: { store: { ...r.checks.store }, scheduler: { ...r.checks.scheduler } },
    };
    const st = state(ctx);
    const format = st.formatExplicit ? st.format : 'json';
    ctx.status = r.ready ? 200 : 503;
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Content-Type', CONTENT_TYPES[format]);
    if (format === 'xml') ctx.body = renderXml('readiness', value);
    else if (format === 'json') ctx.body = renderJson(value);
    else {
      const text = `${value.status}${value.reason ? `: ${value.reason}` : ''}`;
      ctx.body = `<!doctype html><title>Taskr readiness</title><p>${escapeHtml(text)}</p>\n`;
    }
  });

  return router;
}
