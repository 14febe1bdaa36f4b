// Generic validation of raw action parameters against an action type's declared ParamSpecs.
// Raw values come from JSON, XML and HTML forms, so scalars often arrive as strings:
// integers, numbers and booleans are parsed, object/json values may be JSON text.
// Every error names its parameter; messages read after the parameter name.
import type { ParamSpec, ValidateResult } from './contract.js';

export interface ParamError {
  param: string;
  message: string;
}

type Coerced = { ok: true; value: unknown } | { ok: false; message: string };

const TRUE_WORDS = ['true', '1', 'yes', 'on'];
const FALSE_WORDS = ['false', '0', 'no', 'off'];

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A short, safe rendering of a bad value for an error message. */
export function showValue(v: unknown): string {
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return `'${text.length > 40 ? `${text.slice(0, 40)}...` : text}'`;
}

function coerceString(v: unknown): Coerced {
  if (typeof v === 'string') return { ok: true, value: v };
  if (typeof v === 'number' || typeof v === 'boolean') return { ok: true, value: String(v) };
  return { ok: false, message: `must be a string, got ${showValue(v)}` };
}

function coerceNumber(v: unknown, integer: boolean): Coerced {
  const kind = integer ? 'an integer' : 'a number';
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string' && v.trim() !== '' && /^[-+]?[\d.eE+-]+$/.test(v.trim())) {
    n = Number(v.trim());
  } else return { ok: false, message: `must be ${kind}, got ${showValue(v)}` };
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    return { ok: false, message: `must be ${kind}, got ${showValue(v)}` };
  }
  return { ok: true, value: n };
}

function coerceBoolean(v: unknown): Coerced {
  if (typeof v === 'boolean') return { ok: true, value: v };
  const word = String(v).trim().toLowerCase();
  if (TRUE_WORDS.includes(word)) return { ok: true, value: true };
  if (FALSE_WORDS.includes(word)) return { ok: true, value: false };
  return { ok: false, message: `must be true or false, got ${showValue(v)}` };
}

function parseJsonText(text: string): Coerced {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, message: `is not valid JSON: ${(err as Error).message}` };
  }
}

function coerceObject(v: unknown): Coerced {
  const parsed = typeof v === 'string' ? parseJsonText(v) : { ok: true as const, value: v };
  if (!parsed.ok) return parsed;
  if (!isPlainObject(parsed.value)) {
    return { ok: false, message: `must be an object (e.g. {"KEY": "value"}), got ${showValue(v)}` };
  }
  return parsed;
}

/** json: any JSON value; text that looks like a JSON object/array must parse, other text stays text. */
function coerceJson(v: unknown): Coerced {
  if (typeof v !== 'string') return { ok: true, value: v };
  const t = v.trim();
  return t.startsWith('{') || t.startsWith('[') ? parseJsonText(t) : { ok: true, value: v };
}

function coerce(spec: ParamSpec, v: unknown): Coerced {
  switch (spec.type) {
    case 'string':
    case 'text':
      return coerceString(v);
    case 'integer':
      return coerceNumber(v, true);
    case 'number':
      return coerceNumber(v, false);
    case 'boolean':
      return coerceBoolean(v);
    case 'object':
      return coerceObject(v);
    case 'json':
      return coerceJson(v);
  }
}

function checkEnum(spec: ParamSpec, value: unknown): Coerced {
  if (!spec.enum) return { ok: true, value };
  const found = spec.enum.find((e) => e.toLowerCase() === String(value).toLowerCase());
  if (found !== undefined) return { ok: true, value: found };
  return { ok: false, message: `must be one of ${spec.enum.join(', ')}, got ${showValue(value)}` };
}

/** Absent means undefined, null, or (as an HTML form sends for an empty field) blank text. */
function isAbsent(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

/**
 * Validates raw parameters against the declared specs: rejects unknown names (listing the
 * declared ones), requires required ones, coerces types and applies defaults. The returned
 * params hold only declared names: given values and defaults (absent optional params are left out).
 */
export function validateParams(
  typeName: string,
  specs: readonly ParamSpec[],
  raw: Record<string, unknown>,
): ValidateResult<Record<string, unknown>> {
  const errors: ParamError[] = [];
  const declared = new Set(specs.map((s) => s.name));
  for (const name of Object.keys(raw)) {
    if (declared.has(name)) continue;
    const list = specs.map((s) => s.name).join(', ') || '(none)';
    errors.push({ param: name, message: `is not a parameter of ${typeName}; declared: ${list}` });
  }
  const params: Record<string, unknown> = {};
  for (const spec of specs) {
    const v = raw[spec.name];
    if (isAbsent(v)) {
      if (spec.required) errors.push({ param: spec.name, message: "can't be blank" });
      else if (spec.default !== undefined) params[spec.name] = spec.default;
      continue;
    }
    const c = coerce(spec, v);
    const e = c.ok ? checkEnum(spec, c.value) : c;
    if (e.ok) params[spec.name] = e.value;
    else errors.push({ param: spec.name, message: e.message });
  }
  return errors.length ? { ok: false, errors } : { ok: true, params };
}

/** Parses a duration: a number of ms, or text like `500ms`, `30s`, `5m`, `1h`. */
export function parseDurationMs(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v : null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(String(v));
  if (!m) return null;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 'ms'] ?? 1;
  return Math.round(Number(m[1]) * unit);
}

/** Helper for action types: the typed success, or the accumulated errors. */
export function finish<P>(
  params: Record<string, unknown>,
  errors: ParamError[],
): ValidateResult<P> {
  return errors.length ? { ok: false, errors } : { ok: true, params: params as P };
}
