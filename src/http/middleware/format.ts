// Response format negotiation, in Taskr's order: the path suffix (`/tasks/7.xml`) or
// `?format=` (format wins when both are given), then the request body's Content-Type,
// then Accept; HTML by default. The suffix is stripped from the path so routes never
// see it. An explicitly requested unknown format is a 406 listing the formats.
import type { Context, Next } from 'koa';
import { HttpError } from '../httpError.js';

export const FORMATS = ['html', 'xml', 'json'] as const;
export type Format = (typeof FORMATS)[number];

export const CONTENT_TYPES: Readonly<Record<Format, string>> = Object.freeze({
  html: 'text/html; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
});

export interface FormatRequest {
  path: string;
  /** The `format` query parameter, if any. */
  formatParam?: string | undefined;
  method: string;
  contentType?: string | undefined;
  accept?: string | undefined;
}

export interface NegotiatedFormat {
  format: Format;
  /** The path without its format suffix. */
  path: string;
  /** The suffix or `?format=` chose the format (not Content-Type or Accept). */
  explicit: boolean;
  /** The suffix as written (e.g. `.xml`), to build links in the same style. */
  suffix: string;
}

// A suffix starts with a letter, so `/tasks/1.5` stays a (missing) id, not a format.
const SUFFIX = /\.([A-Za-z][A-Za-z0-9]*)$/;
const BODY_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];

function isFormat(name: string): name is Format {
  return (FORMATS as readonly string[]).includes(name);
}

function unknownFormat(name: string): HttpError {
  const shown = name.length > 20 ? `${name.slice(0, 20)}...` : name;
  return new HttpError(406, `format '${shown}' is not available; use html, xml or json`);
}

/** The format a media type stands for, or null when it names none of ours. */
export function formatOfMediaType(mediaType: string): Format | null {
  const type = mediaType.split(';')[0]!.trim().toLowerCase();
  if (type === 'text/html' || type === 'application/xhtml+xml' || type === 'text/*') return 'html';
  if (
    type === 'application/xml' ||
    type === 'text/xml' ||
    /^application\/[\w.-]+\+xml$/.test(type)
  ) {
    return 'xml';
  }
  if (
    type === 'application/json' ||
    type === 'text/json' ||
    /^application\/[\w.-]+\+json$/.test(type)
  ) {
    return 'json';
  }
  return null;
}

/** The preferred of our formats in an Accept header (q-values honoured), or null. */
export function formatFromAccept(accept: string | undefined): Format | null {
  if (!accept) return null;
  const ranges = accept
    .split(',')
    .map((part, index) => {
      const [type = '', ...params] = part.split(';').map((s) => s.trim());
      const qParam = params.find((p) => /^q=/i.test(p));
      const q = qParam ? Number(qParam.slice(2)) : 1;
      return { type: type.toLowerCase(), q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((r) => r.type !== '' && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const r of ranges) {
    if (r.type === '*/*') return 'html';
    const f = formatOfMediaType(r.type);
    if (f) return f;
  }
  return null;
}

/** Decides the format; throws a 406 HttpError for an explicitly requested unknown one. */
export function negotiateFormat(req: FormatRequest): NegotiatedFormat {
  let path = req.path;
  let suffix = '';
  let fromSuffix: string | null = null;
  const m = SUFFIX.exec(path);
  if (m && !path.startsWith('/assets/')) {
    suffix = m[0];
    fromSuffix = m[1]!.toLowerCase();
    path = path.slice(0, -suffix.length) || '/';
  }
  const param = req.formatParam?.trim().toLowerCase();
  const explicitName = param || fromSuffix;
  if (explicitName) {
    // A suffix that disagrees with ?format= is still stripped; format wins.
    if (!isFormat(explicitName)) throw unknownFormat(explicitName);
    return { format: explicitName, path, explicit: true, suffix };
  }
  if (BODY_METHODS.includes(req.method.toUpperCase()) && req.contentType) {
    const f = formatOfMediaType(req.contentType);
    if (f) return { format: f, path, explicit: false, suffix };
  }
  return { format: formatFromAccept(req.accept) ?? 'html', path, explicit: false, suffix };
}

/**
 * Taskr lists `format` among the POST parameters, so a form body may carry it (PHP clients
 * send every parameter in the body). It applies only when the URL did not choose a format.
 */
export function formatFromBody(explicit: boolean, body: Record<string, unknown>): Format | null {
  if (explicit || typeof body.format !== 'string' || body.format.trim() === '') return null;
  const name = body.format.trim().toLowerCase();
  if (!isFormat(name)) throw unknownFormat(name);
  return name;
}

/** The format of a 406 response itself: whatever Accept or Content-Type asked for. */
export function fallbackFormat(req: FormatRequest): Format {
  try {
    return negotiateFormat({ ...req, path: '/', formatParam: undefined }).format;
  } catch {
    return 'html';
  }
}

function firstString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  return undefined;
}

/** Koa middleware: sets ctx.state.format / formatExplicit / formatSuffix and strips the suffix. */
export async function formatMiddleware(ctx: Context, next: Next): Promise<void> {
  const req: FormatRequest = {
    path: ctx.path,
    formatParam: firstString(ctx.query.format),
    method: ctx.method,
    contentType: ctx.get('Content-Type') || undefined,
    accept: ctx.get('Accept') || undefined,
  };
  ctx.state.originalPath = ctx.path;
  let negotiated: NegotiatedFormat;
  try {
    negotiated = negotiateFormat(req);
  } catch (err) {
    ctx.state.format = fallbackFormat(req);
    throw err;
  }
  ctx.state.format = negotiated.format;
  ctx.state.formatExplicit = negotiated.explicit;
  ctx.state.formatSuffix = negotiated.suffix;
  if (negotiated.path !== ctx.path) ctx.path = negotiated.path;
  ctx.vary('Accept');
  await next();
}
