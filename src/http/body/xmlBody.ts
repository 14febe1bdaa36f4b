// XML request bodies exactly as ActiveResource sends them: one root element (its name is
// not checked, as in Hash.from_xml), dasherized names, `type="integer|boolean|datetime|
// dateTime|array|float|decimal"`, `nil="true"`, and an empty untyped element as nil.
// Entity processing is off and DTDs are refused, so no entity expansion can happen;
// only the five predefined entities and character references are decoded.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { HttpError } from '../httpError.js';

const ATTR = '@_';
const TEXT = '#text';
const CDATA = '#cdata';
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: ATTR,
  textNodeName: TEXT,
  cdataPropName: CDATA,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

const PREDEFINED: Readonly<Record<string, string>> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
};

/** Decodes the predefined entities and numeric character references; leaves others as written. */
export function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (whole, ref: string) => {
    if (ref[0] !== '#') return PREDEFINED[ref] ?? whole;
    const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function malformed(message: string): HttpError {
  return new HttpError(400, `XML body: ${message}`);
}

type Node = string | Record<string, unknown>;

function attr(node: Record<string, unknown>, name: string): string | undefined {
  const v = node[ATTR + name];
  return typeof v === 'string' ? decodeXmlText(v) : undefined;
}

function textOf(node: Node): string {
  if (typeof node === 'string') return decodeXmlText(node);
  const t = typeof node[TEXT] === 'string' ? decodeXmlText(node[TEXT] as string) : '';
  const c = node[CDATA];
  const cdata = Array.isArray(c) ? c.join('') : typeof c === 'string' ? c : '';
  return t + cdata;
}

function childKeys(node: Record<string, unknown>): string[] {
  return Object.keys(node).filter((k) => !k.startsWith(ATTR) && k !== TEXT && k !== CDATA);
}

function typed(text: string, type: string, where: string): unknown {
  const t = text.trim();
  const bad = (what: string) =>
    malformed(`<${where}> has type="${type}" but holds '${t.slice(0, 40)}', not ${what}`);
  if (t === '' && type !== 'string') return null;
  switch (type) {
    case 'integer':
      if (!/^[-+]?\d+$/.test(t)) throw bad('an integer');
      return Number(t);
    case 'float':
    case 'decimal':
    case 'double':
      if (!Number.isFinite(Number(t))) throw bad('a number');
      return Number(t);
    case 'boolean':
      if (t === 'true' || t === '1') return true;
      if (t === 'false' || t === '0') return false;
      throw bad('true or false');
    case 'datetime':
    case 'dateTime': {
      const ms = Date.parse(t);
      if (!Number.isFinite(ms)) throw bad('an ISO 8601 date and time');
      return new Date(ms);
    }
    default:
      // string, date, symbol and anything else: the text as written.
      return text;
  }
}

function convertArray(node: Record<string, unknown>, where: string): unknown[] {
  const items: unknown[] = [];
  for (const key of childKeys(node)) {
    const v = node[key];
    for (const item of Array.isArray(v) ? v : [v])
      items.push(convert(item as Node, `${where}/${key}`));
  }
  return items;
}

function convertHash(node: Record<string, unknown>, where: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of childKeys(node)) {
    const name = key.replace(/-/g, '_');
    if (UNSAFE_KEYS.has(name)) continue;
    const v = node[key];
    out[name] = Array.isArray(v)
      ? v.map((item) => convert(item as Node, `${where}/${key}`))
      : convert(v as Node, `${where}/${key}`);
  }
  return out;
}

function convert(node: Node, where: string): unknown {
  if (typeof node === 'string') return node === '' ? null : decodeXmlText(node);
  if (attr(node, 'nil') === 'true') return null;
  const type = attr(node, 'type');
  if (type === 'array') return convertArray(node, where);
  if (childKeys(node).length > 0) return convertHash(node, where);
  const text = textOf(node);
  if (type) return typed(text, type, where);
  return text === '' ? null : text;
}

/**
 * Parses an XML document into the plain value of its root element (a hash for a record).
 * Throws a 400 HttpError naming the problem for anything malformed.
 */
export function parseXmlDocument(text: string): unknown {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    throw malformed('DOCTYPE and ENTITY declarations are not accepted');
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw malformed(`not well-formed: ${msg} (line ${line}, column ${col})`);
  }
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw malformed(`not well-formed: ${(err as Error).message}`);
  }
  const roots = childKeys(doc);
  if (roots.length !== 1 || Array.isArray(doc[roots[0]!])) {
    throw malformed('the document must have exactly one root element, e.g. <task>...</task>');
  }
  return convert(doc[roots[0]!] as Node, roots[0]!);
}

/** A request body: the root must hold child elements (a record), e.g. `<task>...</task>`. */
export function parseXmlBody(text: string): Record<string, unknown> {
  const value = parseXmlDocument(text);
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value) || value instanceof Date) {
    throw malformed(
      'the root element must hold child elements, e.g. <task><name>backup</name></task>',
    );
  }
  return value as Record<string, unknown>;
}
