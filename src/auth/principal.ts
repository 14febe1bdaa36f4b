// Who a request acts as. Roles: admin may do everything, viewer may only read.
import type { Role } from '../config/config.js';

export type { Role };

export interface Principal {
  /** The user name, the token's name, or 'anonymous' when authentication is off. */
  readonly name: string;
  readonly role: Role;
  readonly via: 'basic' | 'bearer' | 'none';
}

export const ANONYMOUS_ADMIN: Principal = Object.freeze({
  name: 'anonymous',
  role: 'admin',
  via: 'none',
});

/** Methods a viewer may use: they change nothing. */
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function mayUse(principal: Principal, method: string): boolean {
  return principal.role === 'admin' || READ_METHODS.has(method.toUpperCase());
}
