// View models to XML in the shape ActiveResource's Hash.from_xml reads: dasherized names,
// `type="integer|float|boolean|datetime"`, `nil="true"` for null, `type="array"` with
// children named by the singular of the key, nested records as plain nested elements.
// Never `type="yaml"`, `"symbol"` or `"hash"` (the client rejects or mangles them).
import { create } from 'xmlbuilder2';
import { formatInstant } from '../presenters/viewModel.js';

type XMLBuilder = ReturnType<typeof create>;

/** `log_entries` -> `log-entries`. */
export function dasherize(name: string): string {
  return name.replace(/_/g, '-');
}

/** The element name for the items of an array element (`tasks` -> `task`). */
export function singular(name: string): string {
  if (/ies$/.test(name)) return name.replace(/ies$/, 'y');
  if (/(ss|x|z|ch|sh|us|ias)es$/.test(name)) return name.replace(/es$/, '');
  if (/[^s]s$/.test(name)) return name.slice(0, -1);
  return name;
}

// Characters XML 1.0 cannot carry (controls, lone surrogates) become U+FFFD, so captured
// output with escape codes still yields a well-formed document.
const INVALID_XML_CHARS =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function xmlSafeText(text: string): string {
  return text.replace(INVALID_XML_CHARS, '\uFFFD');
}

const SIMPLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** A record whose keys are all plain names nests as elements; any other object goes out as JSON text. */
function nestable(v: Record<string, unknown>): boolean {
  return Object.keys(v).every((k) => SIMPLE_NAME.test(k));
}

function addValue(parent: XMLBuilder, key: string, value: unknown): void {
  const name = dasherize(key);
  if (value === undefined) return;
  if (value === null) {
    parent.ele(name, { nil: 'true' });
  } else if (value instanceof Date) {
    if (Number.isFinite(value.getTime())) {
      parent.ele(name, { type: 'datetime' }).txt(formatInstant(value));
    } else parent.ele(name, { nil: 'true' });
  } else if (typeof value === 'boolean') {
    parent.ele(name, { type: 'boolean' }).txt(String(value));
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) parent.ele(name, { nil: 'true' });
    else
      parent.ele(name, { type: Number.isInteger(value) ? 'integer' : 'float' }).txt(String(value));
  } else if (Array.isArray(value)) {
    const el = parent.ele(name, { type: 'array' });
    for (const item of value) addValue(el, singular(key), item);
  } else if (isPlainObject(value) && nestable(value)) {
    const el = parent.ele(name);
    for (const [k, v] of Object.entries(value)) addValue(el, k, v);
  } else if (typeof value === 'object') {
    parent.ele(name).txt(xmlSafeText(JSON.stringify(value)));
  } else {
    parent.ele(name).txt(xmlSafeText(String(value)));
  }
}

function documentWith(fill: (doc: XMLBuilder) => void): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  fill(doc);
  return `${doc.end({ prettyPrint: true })}\n`;
}

/** A record (`<task>...</task>`) or a collection (`<tasks type="array">...</tasks>`). */
export function renderXml(root: string, value: unknown): string {
  return documentWith((doc) => addValue(doc, root, value));
}

/** The 422 document ActiveResource reads: `<errors><error>...</error></errors>`, no type. */
export function renderXmlErrors(messages: readonly string[]): string {
  return documentWith((doc) => {
    const root = doc.ele('errors');
    for (const m of messages) root.ele('error').txt(xmlSafeText(m));
  });
}
