// Small readers for loosely typed body values (forms give strings and arrays, XML gives
// typed scalars, JSON anything).
import { formatInstant } from '../presenters/viewModel.js';

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/**
 * The last scalar of a value: an HTML checkbox paired with a hidden field sends
 * `enabled=0&enabled=1`, which arrives as ['0', '1'] and means the last one.
 */
export function lastScalar(v: unknown): unknown {
  if (Array.isArray(v)) return v.length ? lastScalar(v[v.length - 1]) : undefined;
  return v;
}

/** A field as text: numbers and booleans as written, dates as ISO, null as ''. */
export function textOf(v: unknown): string {
  const value = lastScalar(v);
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return formatInstant(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
