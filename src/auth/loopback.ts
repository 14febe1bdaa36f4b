// Authentication may be off only when nobody but local users can connect.
import { isIP } from 'node:net';
import type { Config } from '../config/config.js';
import { TaskrError } from '../errors.js';

/** True for a bind address only this machine can reach: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackBind(bind: string): boolean {
  const host = bind
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (host === 'localhost' || host === '::1') return true;
  const v4 = host.startsWith('::ffff:') ? host.slice(7) : host;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** Throws auth.disabled_on_network when auth is off on an address others can reach. */
export function assertAuthAllowed(config: Readonly<Config>): void {
  if (!config.auth.enabled && !isLoopbackBind(config.bind)) {
    throw new TaskrError('auth.disabled_on_network', { bind: config.bind });
  }
}
