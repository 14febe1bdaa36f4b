// Hostile-body limits beyond the byte limit: nesting depth (checked on the raw text, before
// any parser recurses) and string length (after parsing), and keys that could pollute
// prototypes (`__proto__`, `constructor`, `prototype`), which are dropped.
import { TaskrError } from '../../errors.js';

export interface BodyShapeLimits {
  maxDepth: number;
  maxFieldLength: number;
}

export const DEFAULT_SHAPE_LIMITS: Readonly<BodyShapeLimits> = Object.freeze({
  maxDepth: 32,
  maxFieldLength: 65_536,
});

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function tooDeep(kind: string, limit: number): TaskrError {
  return new TaskrError('http.body_too_deep', { kind, limit });
}

/** Throws when JSON text nests arrays/objects deeper than max (strings are skipped). */
export function assertJsonDepth(text: string, max: number): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) throw tooDeep('JSON', max);
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
}

/** Throws when XML elements nest deeper than max (comments, CDATA and PIs are skipped). */
export function assertXmlDepth(text: string, max: number): void {
  let depth = 0;
  let i = text.indexOf('<');
  while (i >= 0 && i < text.length) {
    let end: number;
    if (text.startsWith('<!--', i)) end = text.indexOf('-->', i) + 2;
    else if (text.startsWith('<![CDATA[', i)) end = text.indexOf(']]>', i) + 2;
    else if (text.startsWith('<?', i) || text.startsWith('<!', i)) end = text.indexOf('>', i);
    else {
      end = text.indexOf('>', i);
      if (end < 0) return; // not well-formed: the parser says why
      if (text[i + 1] === '/') depth--;
      else if (text[end - 1] !== '/' && ++depth > max) throw tooDeep('XML', max);
    }
    if (end < 0) return;
    i = text.indexOf('<', end + 1);
  }
}

/**
 * Walks a parsed body: drops prototype-polluting keys, refuses strings (values and keys)
 * longer than maxFieldLength and nesting deeper than maxDepth. Iterative, so no input can
 * exhaust the stack.
 */
export function sanitizeBody(
  body: Record<string, unknown>,
  kind: string,
  limits: BodyShapeLimits,
): void {
  const stack: [unknown, string, number][] = [[body, '', 1]];
  const tooLong = (field: string) =>
    new TaskrError('http.field_too_long', {
      kind,
      field: field.slice(0, 80) || '(root)',
      limit: limits.maxFieldLength,
    });
  while (stack.length > 0) {
    const [value, path, depth] = stack.pop()!;
    if (typeof value === 'string') {
      if (value.length > limits.maxFieldLength) throw tooLong(path);
      continue;
    }
    if (typeof value !== 'object' || value === null || value instanceof Date) continue;
    if (depth > limits.maxDepth) throw tooDeep(kind, limits.maxDepth);
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (UNSAFE_KEYS.has(key)) {
        delete record[key];
        continue;
      }
      if (key.length > limits.maxFieldLength) throw tooLong(`${path}[${key.slice(0, 40)}...]`);
      stack.push([record[key], path === '' ? key : `${path}[${key}]`, depth + 1]);
    }
  }
}
