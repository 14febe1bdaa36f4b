// Raw action parameters as clients send them, cleaned before the type validates them.
import { RESERVED_PARAM_NAMES, type ActionType } from './contract.js';

/**
 * Row fields clients echo back (id, order, action_class_name) are not parameters and are
 * dropped. ActiveResource nests `params: {command: ...}` when a client uses a params hash:
 * unless the type declares `params`, its entries are taken as the parameters.
 */
export function normaliseRaw(
  type: ActionType<unknown>,
  raw: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw ?? {})) {
    if (!(RESERVED_PARAM_NAMES as readonly string[]).includes(k) && k !== 'actionClassName') {
      out[k] = v;
    }
  }
  const nested = out.params;
  const declaresParams = type.params.some((p) => p.name === 'params');
  if (!declaresParams && typeof nested === 'object' && nested !== null && !Array.isArray(nested)) {
    delete out.params;
    return { ...(nested as Record<string, unknown>), ...out };
  }
  return out;
}
