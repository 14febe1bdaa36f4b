// Form bodies (urlencoded and multipart) with Rails-style nesting: `task[name]=x`,
// `action[0][command]=y`. Both are reduced to name/value pairs and nested by qs, so the
// two encodings cannot disagree about nesting.
import qs from 'qs';
import { HttpError } from '../httpError.js';

const QS_OPTIONS: qs.IParseOptions = {
  depth: 8,
  arrayLimit: 200,
  parameterLimit: 5000,
  allowPrototypes: false,
  allowDots: false,
  charset: 'utf-8',
};

/** Nests name/value pairs Rails-style. */
export function nestPairs(pairs: readonly (readonly [string, string])[]): Record<string, unknown> {
  const text = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return qs.parse(text, QS_OPTIONS) as Record<string, unknown>;
}

export function parseUrlEncoded(text: string): Record<string, unknown> {
  try {
    return qs.parse(text, QS_OPTIONS) as Record<string, unknown>;
  } catch (err) {
    throw new HttpError(400, `form body: ${(err as Error).message}`);
  }
}

function malformed(message: string): HttpError {
  return new HttpError(400, `multipart body: ${message}`);
}

function boundaryOf(contentType: string): string {
  const m = /;\s*boundary=(?:"([^"]+)"|([^\s;]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) throw malformed('the Content-Type has no boundary parameter');
  return boundary;
}

interface PartHeaders {
  name: string | null;
  filename: string | null;
}

function partHeaders(head: string): PartHeaders {
  const disposition = head.split('\r\n').find((line) => /^content-disposition\s*:/i.test(line));
  if (!disposition) return { name: null, filename: null };
  const name = /;\s*name="([^"]*)"/i.exec(disposition)?.[1] ?? null;
  const filename = /;\s*filename="([^"]*)"/i.exec(disposition)?.[1] ?? null;
  return { name, filename };
}

/**
 * The text fields of a multipart/form-data body, in order. File parts are ignored: no
 * task field is a file.
 */
export function multipartFields(body: Buffer, contentType: string): [string, string][] {
  const delimiter = Buffer.from(`--${boundaryOf(contentType)}`);
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw malformed('the boundary given in Content-Type never occurs in the body');
  const fields: [string, string][] = [];
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString() === '--') return fields;
    const next = body.indexOf(delimiter, pos);
    if (next < 0) throw malformed('the body ends without the closing boundary');
    // Each part: CRLF, headers, CRLF CRLF, content, CRLF (before the next delimiter).
    const part = body.subarray(pos, next);
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) throw malformed('a part has no blank line after its headers');
    const { name, filename } = partHeaders(part.subarray(0, split).toString('utf8'));
    if (name === null) throw malformed('a part has no Content-Disposition name');
    let content = part.subarray(split + 4);
    if (content.subarray(-2).toString() === '\r\n') content = content.subarray(0, -2);
    if (filename === null) fields.push([name, content.toString('utf8')]);
    pos = next;
  }
}

export function parseMultipart(body: Buffer, contentType: string): Record<string, unknown> {
  return nestPairs(multipartFields(body, contentType));
}
