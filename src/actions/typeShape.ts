// Checks that a loaded module's export really is an action type, before the registry trusts it.
// Returns a one-line problem naming what is wrong, or null.
import { RESERVED_PARAM_NAMES, type ActionType, type ParamType } from './contract.js';
import { validateParams } from './params.js';

const PARAM_TYPES: readonly ParamType[] = [
  'string',
  'text',
  'integer',
  'number',
  'boolean',
  'object',
  'json',
];
const TYPE_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function paramProblem(p: unknown, i: number, seen: Set<string>): string | null {
  if (!isObject(p) || typeof p.name !== 'string' || p.name === '') {
    return `params[${i}] has no name`;
  }
  const name = p.name;
  if ((RESERVED_PARAM_NAMES as readonly string[]).includes(name)) {
    return `param '${name}' uses a reserved name (${RESERVED_PARAM_NAMES.join(', ')} belong to the action row)`;
  }
  if (seen.has(name)) return `param '${name}' is declared twice`;
  seen.add(name);
  if (!PARAM_TYPES.includes(p.type as ParamType)) {
    return `param '${name}' has type '${String(p.type)}'; use ${PARAM_TYPES.join(', ')}`;
  }
  if (typeof p.description !== 'string' || p.description.trim() === '') {
    return `param '${name}' has no description`;
  }
  return null;
}

/** The problem with a candidate export, or null when it is a usable action type. */
export function actionTypeProblem(t: unknown): string | null {
  if (!isObject(t)) return 'the export is not an object';
  if (typeof t.name !== 'string' || !TYPE_NAME.test(t.name)) {
    return `missing or invalid name (${JSON.stringify(t.name)}); use letters, digits and _`;
  }
  if (typeof t.description !== 'string' || t.description.trim() === '') {
    return `type ${t.name} has no description`;
  }
  if (typeof t.run !== 'function') return `type ${t.name} has no run function`;
  if (t.validate !== undefined && typeof t.validate !== 'function') {
    return `type ${t.name}: validate is not a function`;
  }
  if (t.aliases !== undefined) {
    const ok =
      Array.isArray(t.aliases) &&
      t.aliases.every((a) => typeof a === 'string' && TYPE_NAME.test(a));
    if (!ok) return `type ${t.name}: aliases must be a list of names`;
  }
  if (!Array.isArray(t.params)) return `type ${t.name}: params must be a list (may be empty)`;
  const seen = new Set<string>();
  for (const [i, p] of t.params.entries()) {
    const problem = paramProblem(p, i, seen);
    if (problem) return `type ${t.name}: ${problem}`;
  }
  return null;
}

/** A checked type; a plugin without validate gets the generic parameter validation. */
export function completeType(t: ActionType<unknown>): ActionType<unknown> {
  if (typeof t.validate === 'function') return t;
  return { ...t, validate: (raw) => validateParams(t.name, t.params, raw) };
}
