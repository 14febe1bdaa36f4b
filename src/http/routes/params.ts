// Reading path and query parameters: ids, pagination and filters. A bad query value is a
// 400 naming the parameter and what is allowed; a non-numeric id is simply not found.
import type { Context } from 'koa';
import { TaskrError } from '../../errors.js';
import { HttpError } from '../httpError.js';
import { state } from '../state.js';

export function queryString(ctx: Context, name: string): string | undefined {
  const v = ctx.query[name];
  const s = Array.isArray(v) ? v[v.length - 1] : v;
  return s === undefined || s.trim() === '' ? undefined : s.trim();
}

function shownId(raw: string): string {
  return raw.length > 20 ? `${raw.slice(0, 20)}...` : raw;
}

/** A path id; anything but a positive integer is a 404 of that resource. */
export function pathId(raw: string | undefined, resource: 'task' | 'run'): number {
  const text = raw ?? '';
  const id = /^\d{1,15}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(id) || id < 1) {
    throw new TaskrError(resource === 'task' ? 'task.not_found' : 'run.not_found', {
      id: shownId(text),
    });
  }
  return id;
}

export function queryInt(ctx: Context, name: string, min: number, max: number): number | undefined {
  const text = queryString(ctx, name);
  if (text === undefined) return undefined;
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new HttpError(
      400,
      `${name} must be a whole number from ${min} to ${max}, not '${text.slice(0, 20)}'`,
    );
  }
  return n;
}

export function queryBoolean(ctx: Context, name: string): boolean | undefined {
  const text = queryString(ctx, name)?.toLowerCase();
  if (text === undefined) return undefined;
  if (['true', '1', 'yes', 'on'].includes(text)) return true;
  if (['false', '0', 'no', 'off'].includes(text)) return false;
  throw new HttpError(400, `${name} must be true or false, not '${text.slice(0, 20)}'`);
}

export function queryChoice<T extends string>(
  ctx: Context,
  name: string,
  allowed: readonly T[],
): T | undefined {
  const text = queryString(ctx, name);
  if (text === undefined) return undefined;
  const found = allowed.find((a) => a.toLowerCase() === text.toLowerCase());
  if (!found)
    throw new HttpError(
      400,
      `${name} '${text.slice(0, 20)}' is not allowed; use ${allowed.join(', ')}`,
    );
  return found;
}

export function queryDate(ctx: Context, name: string): Date | undefined {
  const text = queryString(ctx, name);
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) {
    throw new HttpError(
      400,
      `${name} must be an ISO 8601 date and time (e.g. 2026-01-02T03:04:05Z), not '${text.slice(0, 40)}'`,
    );
  }
  return new Date(ms);
}

export interface Page {
  page: number;
  perPage: number;
  offset: number;
}

export const MAX_PER_PAGE = 1000;

export function pagination(ctx: Context, defaultPerPage: number): Page {
  const page = queryInt(ctx, 'page', 1, 1_000_000) ?? 1;
  const perPage = queryInt(ctx, 'per_page', 1, MAX_PER_PAGE) ?? defaultPerPage;
  return { page, perPage, offset: (page - 1) * perPage };
}

/** Sets `Link` (rel=next/prev, same path and query, other page) and `X-Total-Count`. */
export function setPageLinks(ctx: Context, page: Page, total: number): void {
  const links: string[] = [];
  const link = (n: number, rel: string) => {
    const query = new URLSearchParams(ctx.querystring);
    query.set('page', String(n));
    query.set('per_page', String(page.perPage));
    links.push(`<${state(ctx).originalPath}?${query.toString()}>; rel="${rel}"`);
  };
  if (page.offset + page.perPage < total) link(page.page + 1, 'next');
  if (page.page > 1) link(page.page - 1, 'prev');
  if (links.length) ctx.set('Link', links.join(', '));
  ctx.set('X-Total-Count', String(total));
}
