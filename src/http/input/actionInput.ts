// The `action`/`actions` field in all its client spellings: a list, an index-keyed hash
// (`action[0][...]` from forms) or a single action; parameters directly on the action or
// under `params`/`parameters`. The HTML form's convention `params_for[<Type>][<param>]`
// carries inputs for every type; only the chosen type's non-blank values count.
import type { ActionInput } from '../../domain/types.js';
import type { FieldError } from '../../errors.js';
import { isPlainObject, lastScalar, textOf } from './values.js';

export interface NormalisedActions {
  actions: ActionInput[];
  /** The `id` each action carried (ActiveResource echoes them), by position. */
  ids: (number | null)[];
  errors: FieldError[];
}

/** Row fields clients echo back that are not parameters. */
const ROW_FIELDS = new Set([
  'id',
  'order',
  'action_class_name',
  'actionClassName',
  'task_id',
  'created_on',
  'updated_on',
  '_destroy',
  'params_for',
]);
const NESTED_PARAMS = ['params', 'parameters'];

function listOf(raw: unknown): unknown[] {
  if (raw === null || raw === undefined || raw === '') return [];
  if (Array.isArray(raw)) return raw;
  if (isPlainObject(raw)) {
    const keys = Object.keys(raw);
    if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
      return keys.sort((a, b) => Number(a) - Number(b)).map((k) => raw[k]);
    }
    return [raw];
  }
  return [raw];
}

function isBlank(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === 'string') return v.trim() === '';
  if (Array.isArray(v)) return v.every(isBlank);
  if (isPlainObject(v)) return Object.values(v).every(isBlank);
  return false;
}

function truthy(v: unknown): boolean {
  const value = lastScalar(v);
  return value === true || ['1', 'true', 'on', 'yes'].includes(String(value).toLowerCase());
}

function formParams(item: Record<string, unknown>, type: string): Record<string, unknown> {
  const byType = item.params_for;
  if (!isPlainObject(byType)) return {};
  const key = Object.keys(byType).find((k) => k.toLowerCase() === type.toLowerCase());
  const chosen = key === undefined ? undefined : byType[key];
  const out: Record<string, unknown> = {};
  if (!isPlainObject(chosen)) return out;
  for (const [k, v] of Object.entries(chosen)) if (!isBlank(v)) out[k] = lastScalar(v);
  return out;
}

function idOf(v: unknown): number | null {
  const value = lastScalar(v);
  const n = typeof value === 'number' ? value : Number(textOf(value));
  return Number.isSafeInteger(n) && textOf(value) !== '' ? n : null;
}

interface Row {
  action: ActionInput;
  id: number | null;
  order: number | null;
}

function readRow(
  item: Record<string, unknown>,
  declaresParam?: (type: string, param: string) => boolean,
): Row {
  const type = textOf(item.action_class_name ?? item.actionClassName).trim();
  const parameters: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) {
    if (ROW_FIELDS.has(k) || k === '__proto__') continue;
    if (NESTED_PARAMS.includes(k) && isPlainObject(v) && !declaresParam?.(type, k)) continue;
    parameters[k] = v;
  }
  for (const k of NESTED_PARAMS) {
    const nested = item[k];
    if (isPlainObject(nested) && !declaresParam?.(type, k)) Object.assign(parameters, nested);
  }
  Object.assign(parameters, formParams(item, type));
  const order = idOf(item.order);
  return { action: { actionClassName: type, parameters }, id: idOf(item.id), order };
}

export function actionInputs(
  raw: unknown,
  declaresParam?: (type: string, param: string) => boolean,
): NormalisedActions {
  const rows: Row[] = [];
  const errors: FieldError[] = [];
  listOf(raw).forEach((item, i) => {
    if (!isPlainObject(item)) {
      if (!isBlank(item)) {
        errors.push({
          field: `actions[${i}]`,
          message: 'must be an action with an action_class_name',
        });
      }
      return;
    }
    // Blank rows and rows marked for removal come from the HTML form.
    if (truthy(item._destroy)) return;
    const { params_for: _ignored, ...rest } = item;
    if (isBlank(rest.action_class_name) && isBlank(rest)) return;
    rows.push(readRow(item, declaresParam));
  });
  // Clients that send `order` (the server's own document) get that order; others list order.
  if (rows.length > 1 && rows.every((r) => r.order !== null)) {
    rows.sort((a, b) => a.order! - b.order!);
  }
  return { actions: rows.map((r) => r.action), ids: rows.map((r) => r.id), errors };
}
