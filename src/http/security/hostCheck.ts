// DNS rebinding defence: a page on evil.example whose name is re-pointed at 127.0.0.1 sends
// `Host: evil.example`. Only names this server is known by are served; the rest get 421.
import { hostname, networkInterfaces } from 'node:os';
import type { Context, Next } from 'koa';
import { TaskrError } from '../../errors.js';

const WILDCARD_BINDS = new Set(['0.0.0.0', '::', '[::]', '']);

/** `Example.COM:7007` -> `example.com`, `[::1]:80` -> `::1`, trailing dot dropped. */
export function hostName(hostHeader: string): string {
  let h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) h = h.slice(1, h.indexOf(']') < 0 ? undefined : h.indexOf(']'));
  else if (h.includes(':')) h = h.slice(0, h.lastIndexOf(':'));
  return h.replace(/\.$/, '');
}

export interface HostPolicy {
  /** null: every Host is accepted (`http.allowedHosts: ['*']`). */
  allowed: ReadonlySet<string> | null;
}

/** Default names: localhost, the loopback addresses, the bind address and the machine's name. */
export function hostPolicy(bind: string, extra: readonly string[]): HostPolicy {
  if (extra.includes('*')) return { allowed: null };
  const names = new Set(['localhost', '127.0.0.1', '::1', hostname().toLowerCase()]);
  if (WILDCARD_BINDS.has(bind.trim())) {
    // Bound to every interface: its addresses are how clients will reach it.
    for (const list of Object.values(networkInterfaces())) {
      for (const a of list ?? []) names.add(a.address.toLowerCase());
    }
  } else {
    names.add(hostName(bind.includes(':') && !bind.startsWith('[') ? `[${bind}]` : bind));
  }
  for (const e of extra) names.add(hostName(e));
  return { allowed: names };
}

export function hostCheck(policy: HostPolicy) {
  const shown = policy.allowed ? [...policy.allowed].join(', ') : '';
  return async function checkHost(ctx: Context, next: Next): Promise<void> {
    const header = ctx.get('Host');
    // No Host at all is HTTP/1.0 from a script: browsers always send one.
    if (policy.allowed && header !== '' && !policy.allowed.has(hostName(header))) {
      throw new TaskrError('http.host_not_allowed', { host: header.slice(0, 100), allowed: shown });
    }
    await next();
  };
}
