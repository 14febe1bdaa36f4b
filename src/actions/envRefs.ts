// `${env:NAME}` references in action parameters, resolved at run time only: the stored
// task keeps the reference, so a secret lives in the daemon's environment, not the database.
import type { ParamSpec } from './contract.js';

const ENV_REF = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Replaces each `${env:NAME}` with the variable's value; a missing variable throws, naming it. */
export function resolveEnvRefs(value: string, env: NodeJS.ProcessEnv): string {
  if (!value.includes('${env:')) return value; // the common case, without a regex pass
  return value.replace(ENV_REF, (_whole, name: string) => {
    const v = env[name];
    if (v === undefined) {
      throw new Error(`environment variable ${name} is not set (referenced as \${env:${name}})`);
    }
    return v;
  });
}

/** True when the text holds at least one `${env:NAME}` reference. */
export function hasEnvRefs(value: string): boolean {
  return new RegExp(ENV_REF.source).test(value);
}

/** Applies resolve to every string inside a value (object values and array items included). */
function resolveDeep(value: unknown, resolve: (s: string) => string): unknown {
  if (typeof value === 'string') return resolve(value);
  if (Array.isArray(value)) return value.map((v) => resolveDeep(v, resolve));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveDeep(v, resolve)]));
  }
  return value;
}

/** Parameter types whose strings may hold references. */
const RESOLVED_TYPES: ReadonlySet<string> = new Set(['string', 'text', 'object', 'json']);

/**
 * A copy of validated params with references resolved in string/text params and in the
 * string values of object/json params (e.g. headers: {Authorization: "Bearer ${env:TOKEN}"}).
 * Numbers and booleans are left alone. Throws (naming the variable) when one is missing.
 */
export function resolveParamsEnv<P extends object>(
  params: P,
  specs: readonly ParamSpec[],
  resolve: (s: string) => string,
): P {
  const out = { ...params } as Record<string, unknown>;
  for (const spec of specs) {
    if (!(spec.name in out)) continue;
    if (RESOLVED_TYPES.has(spec.type)) {
      out[spec.name] = resolveDeep(out[spec.name], resolve);
    }
  }
  return out as P;
}
