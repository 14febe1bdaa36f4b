// One HTTP request for the Webhook action, with global fetch: body encoding, auth headers,
// a per-request timeout combined with the run's abort signal, and errors that say what
// happened in one line (never showing credentials).

export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export type HttpAnswer =
  | { ok: true; status: number; text: string; contentType: string | null }
  | { ok: false; error: string; aborted: boolean };

export interface EncodedBody {
  body: string;
  contentType: string;
}

/** Objects become JSON; text is sent as is (JSON-looking text as JSON, other text as a form/CGI string). */
export function encodeBody(body: unknown): EncodedBody | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') {
    const t = body.trim();
    const json = t.startsWith('{') || t.startsWith('[');
    return { body, contentType: json ? 'application/json' : 'application/x-www-form-urlencoded' };
  }
  return { body: JSON.stringify(body), contentType: 'application/json' };
}

export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

/** The URL without user:password, for messages. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url;
  }
}

/** fetch refuses URLs with credentials: move them to an Authorization header instead. */
export function splitUrlCredentials(url: string): { url: string; auth: string | null } {
  const u = new URL(url);
  if (!u.username && !u.password) return { url, auth: null };
  const auth = basicAuth(decodeURIComponent(u.username), decodeURIComponent(u.password));
  return { url: safeUrl(url), auth };
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name.toLowerCase());
}

/** Adds Content-Type for the body unless the caller set one. */
export function withContentType(
  headers: Record<string, string>,
  encoded: EncodedBody | undefined,
): Record<string, string> {
  if (!encoded || hasHeader(headers, 'content-type')) return headers;
  return { ...headers, 'Content-Type': encoded.contentType };
}

function describeFailure(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  const cause = e.cause?.code ?? e.cause?.message;
  return cause ? `${e.message} (${cause})` : e.message;
}

export async function httpCall(req: HttpRequest, runSignal: AbortSignal): Promise<HttpAnswer> {
  const timeout = AbortSignal.timeout(req.timeoutMs);
  const target = `${req.method} ${safeUrl(req.url)}`;
  try {
    const res = await fetch(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      signal: AbortSignal.any([runSignal, timeout]),
    });
    const text = await res.text();
    return { ok: true, status: res.status, text, contentType: res.headers.get('content-type') };
  } catch (err) {
    if (runSignal.aborted) return { ok: false, aborted: true, error: `${target} aborted` };
    if (timeout.aborted) {
      return {
        ok: false,
        aborted: false,
        error: `${target}: no answer within ${req.timeoutMs} ms (timeout)`,
      };
    }
    return { ok: false, aborted: false, error: `${target} failed: ${describeFailure(err)}` };
  }
}

/** Parses expect_status (`200`, `200,204`, `2xx`); null when a token is not a status. */
export function parseExpectStatus(text: string): ((status: number) => boolean) | null {
  const tokens = text.split(/[\s,]+/).filter(Boolean);
  if (tokens.length === 0) return (s) => s >= 200 && s < 300;
  const tests: ((s: number) => boolean)[] = [];
  for (const t of tokens) {
    if (/^[1-5]\d\d$/.test(t)) tests.push((s) => s === Number(t));
    else if (/^[1-5]xx$/i.test(t)) tests.push((s) => Math.floor(s / 100) === Number(t[0]));
    else return null;
  }
  return (s) => tests.some((f) => f(s));
}

/** At most maxChars of a response body, marked when cut. */
export function truncateBody(text: string, maxChars = 4096): string {
  return text.length > maxChars
    ? `${text.slice(0, maxChars)}... (${text.length} chars, truncated)`
    : text;
}
