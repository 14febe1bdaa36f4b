// The cluster's nodes (GET /nodes): each node's name, whether it is alive (status alive and
// a heartbeat within the lease, by the database's clock), its last heartbeat, runs in
// progress, version, address and measured clock skew. One node on SQLite.
import Router from '@koa/router';
import type { Context } from 'koa';
import type { NodeListing } from '../../store/store.js';
import type { AppDeps } from '../createApp.js';
import { present } from '../presenters/respond.js';
import type { ViewRecord } from '../presenters/viewModel.js';

export function nodeView(n: NodeListing, self: string): ViewRecord {
  return {
    name: n.name,
    alive: n.alive,
    status: n.status,
    this_node: n.name === self,
    started_at: n.startedAt,
    last_heartbeat: n.lastHeartbeat,
    runs_in_progress: n.runsInProgress,
    version: n.version,
    address: n.address,
    clock_skew_ms: n.clockSkewMs,
  };
}

export function nodesRouter(deps: AppDeps): Router {
  const router = new Router();

  async function list(ctx: Context): Promise<void> {
    const { leaseMs } = deps.config.cluster;
    const nodes = await deps.store.nodes.list(leaseMs);
    await present(ctx, {
      root: 'nodes',
      value: nodes.map((n) => nodeView(n, deps.config.nodeName)),
      html: {
        view: 'nodes/index',
        title: 'Nodes',
        locals: { leaseMs, database: deps.store.kind },
      },
    });
  }

  router.get('/nodes', list);
  return router;
}
