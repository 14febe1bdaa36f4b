// The CLI's HTTP client for Taskr's JSON API (`.json` suffix on every path). It sends the
// credentials it was given (bearer token, else Basic) and turns any non-2xx answer into a
// CliError carrying the server's message (`{"error": ..., "errors": {...}}`).
import { CliError } from './cliError.js';
import type { Connection } from './connection.js';

export type Query = Record<string, string | number | boolean | undefined>;

export interface ApiResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

/** The server's error body as one line: the message, then any per-field messages it lacks. */
export function errorMessage(status: number, text: string): string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    const plain = text.trim().replace(/\s+/g, ' ').slice(0, 300);
    return `HTTP ${status}${plain ? `: ${plain}` : ''}`;
  }
  const { error, errors } = (body ?? {}) as { error?: unknown; errors?: unknown };
  const parts: string[] = [];
  if (typeof error === 'string' && error) parts.push(error);
  if (errors && typeof errors === 'object') {
    for (const [field, msgs] of Object.entries(errors as Record<string, unknown>)) {
      for (const m of Array.isArray(msgs) ? msgs : [msgs]) {
        const line = `${field} ${String(m)}`;
        if (!parts.some((p) => p.toLowerCase().includes(String(m).toLowerCase()))) parts.push(line);
      }
    }
  }
  return `HTTP ${status}: ${parts.length ? parts.join('; ') : 'request failed'}`;
}

export class ApiClient {
  constructor(
    readonly conn: Connection,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  url(path: string, query: Query = {}): string {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) q.set(k, String(v));
    const qs = q.toString();
    return `${this.conn.url}${path}.json${qs ? `?${qs}` : ''}`;
  }

  private headers(hasBody: boolean): Record<string, string> {
    const h: Record<string, string> = { accept: 'application/json' };
    if (hasBody) h['content-type'] = 'application/json';
    if (this.conn.token) h.authorization = `Bearer ${this.conn.token}`;
    else if (this.conn.username !== null && this.conn.password !== null) {
      const basic = Buffer.from(`${this.conn.username}:${this.conn.password}`).toString('base64');
      h.authorization = `Basic ${basic}`;
    }
    return h;
  }

  async request<T>(
    method: string,
    path: string,
    opts: { query?: Query; body?: unknown } = {},
  ): Promise<ApiResponse<T>> {
    const target = this.url(path, opts.query);
    let res: Response;
    try {
      res = await this.fetchImpl(target, {
        method,
        headers: this.headers(opts.body !== undefined),
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (err as Error).message;
      throw new CliError(`cannot reach ${this.conn.url}: ${why} (set --url or TASKR_URL)`);
    }
    const text = await res.text();
    if (!res.ok) {
      const hint =
        res.status === 401
          ? ' (give --user/--password or --token, or TASKR_USERNAME/TASKR_PASSWORD/TASKR_API_TOKEN)'
          : '';
      throw new CliError(`${method} ${path}: ${errorMessage(res.status, text)}${hint}`);
    }
    let body: unknown = null;
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        throw new CliError(
          `${method} ${path}: the server answered ${res.status} with a body that is not JSON`,
        );
      }
    }
    return { status: res.status, headers: res.headers, body: body as T };
  }

  async get<T>(path: string, query?: Query): Promise<T> {
    return (await this.request<T>('GET', path, { query })).body;
  }

  async post<T>(path: string, body?: unknown): Promise<T> {
    return (await this.request<T>('POST', path, { body })).body;
  }

  async delete(path: string): Promise<void> {
    await this.request('DELETE', path);
  }
}
