// Reads and parses request bodies of POST/PUT/PATCH into ctx.state.body (always a plain
// object; {} for an empty body, which custom methods such as PUT /tasks/7/pause.xml send).
// JSON, XML, urlencoded and multipart forms; a missing Content-Type is sniffed. Oversized
// bodies are a 413, malformed ones a 400 naming the problem, other media types a 415.
import type { Context, Next } from 'koa';
import { HttpError } from '../httpError.js';
import { formatFromBody } from './format.js';
import { state, type BodyKind } from '../state.js';
import { parseMultipart, parseUrlEncoded } from '../body/formBody.js';
import { parseXmlBody } from '../body/xmlBody.js';
import {
  assertJsonDepth,
  assertXmlDepth,
  DEFAULT_SHAPE_LIMITS,
  sanitizeBody,
  type BodyShapeLimits,
} from '../security/bodyShape.js';

export const DEFAULT_BODY_LIMIT = 1024 * 1024;
const BODY_METHODS = ['POST', 'PUT', 'PATCH'];

export interface ParsedBody {
  kind: BodyKind;
  body: Record<string, unknown>;
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, `request body is larger than the limit of ${limit} bytes`, {
    Connection: 'close',
  });
}

async function readRaw(ctx: Context, limit: number): Promise<Buffer> {
  const declared = Number(ctx.get('Content-Length'));
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of ctx.req) {
      const buf = chunk as Buffer;
      size += buf.length;
      if (size > limit) throw tooLarge(limit);
      chunks.push(buf);
    }
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw new HttpError(400, `request body could not be read: ${(err as Error).message}`);
  }
  return Buffer.concat(chunks);
}

type MediaKind = 'json' | 'xml' | 'urlencoded' | 'multipart';

function mediaKind(contentType: string, text: string): MediaKind {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === '') {
    const first = text.trimStart()[0];
    return first === '<' ? 'xml' : first === '{' || first === '[' ? 'json' : 'urlencoded';
  }
  if (type === 'application/json' || /^application\/[\w.-]+\+json$/.test(type)) return 'json';
  if (
    type === 'application/xml' ||
    type === 'text/xml' ||
    /^application\/[\w.-]+\+xml$/.test(type)
  ) {
    return 'xml';
  }
  if (type === 'application/x-www-form-urlencoded') return 'urlencoded';
  if (type === 'multipart/form-data') return 'multipart';
  throw new HttpError(
    415,
    `Content-Type '${type.slice(0, 60)}' is not accepted; send application/xml, application/json, ` +
      'application/x-www-form-urlencoded or multipart/form-data',
  );
}

function parseJson(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, `JSON body is not valid JSON: ${(err as Error).message}`);
  }
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new HttpError(400, 'JSON body must be an object, e.g. {"task": {"name": "backup"}}');
  }
  return value as Record<string, unknown>;
}

function parseByKind(
  kind: MediaKind,
  raw: Buffer,
  text: string,
  contentType: string,
  limits: BodyShapeLimits,
): ParsedBody {
  switch (kind) {
    case 'json':
      // Depth is checked on the text, before any parser or walker can recurse into it.
      assertJsonDepth(text, limits.maxDepth);
      return { kind: 'json', body: parseJson(text) };
    case 'xml':
      assertXmlDepth(text, limits.maxDepth);
      return { kind: 'xml', body: parseXmlBody(text) };
    case 'urlencoded':
      return { kind: 'form', body: parseUrlEncoded(text) };
    case 'multipart':
      return { kind: 'form', body: parseMultipart(raw, contentType) };
  }
}

/**
 * Parses a raw body given its Content-Type (exported for unit tests). Nesting deeper than
 * limits.maxDepth is a 400, a string longer than limits.maxFieldLength a 413, and keys that
 * could pollute prototypes (`__proto__`, `constructor`, `prototype`) are dropped.
 */
export function parseBody(
  raw: Buffer,
  contentType: string,
  limits: BodyShapeLimits = DEFAULT_SHAPE_LIMITS,
): ParsedBody {
  const text = raw.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') return { kind: 'none', body: {} };
  const kind = mediaKind(contentType, text);
  const parsed = parseByKind(kind, raw, text, contentType, limits);
  sanitizeBody(
    parsed.body,
    kind === 'multipart' || kind === 'urlencoded' ? 'form' : kind.toUpperCase(),
    limits,
  );
  return parsed;
}

export function bodyParser(opts: { limit?: number } & Partial<BodyShapeLimits> = {}) {
  const limit = opts.limit ?? DEFAULT_BODY_LIMIT;
  const shape: BodyShapeLimits = {
    maxDepth: opts.maxDepth ?? DEFAULT_SHAPE_LIMITS.maxDepth,
    maxFieldLength: opts.maxFieldLength ?? DEFAULT_SHAPE_LIMITS.maxFieldLength,
  };
  return async function parseRequestBody(ctx: Context, next: Next): Promise<void> {
    const st = state(ctx);
    st.body = {};
    st.bodyKind = 'none';
    if (BODY_METHODS.includes(ctx.method)) {
      const parsed = parseBody(await readRaw(ctx, limit), ctx.get('Content-Type'), shape);
      st.body = parsed.body;
      st.bodyKind = parsed.kind;
      if (parsed.kind === 'form') {
        const format = formatFromBody(st.formatExplicit, parsed.body);
        if (format) {
          st.format = format;
          st.formatExplicit = true;
        }
      }
    }
    await next();
  };
}
