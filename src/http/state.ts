// What the HTTP middleware leaves in ctx.state for the routes and presenters.
import type { Context } from 'koa';
import type { Format } from './middleware/format.js';

export type BodyKind = 'none' | 'json' | 'xml' | 'form';

export interface TaskrState {
  format: Format;
  /** The suffix or ?format= chose the format. */
  formatExplicit: boolean;
  /** The format suffix as written (`.xml`), or ''. */
  formatSuffix: string;
  /** The request path before the suffix was stripped. */
  originalPath: string;
  /** The parsed request body: a plain object, {} when there was none. */
  body: Record<string, unknown>;
  bodyKind: BodyKind;
}

export function state(ctx: Context): TaskrState {
  return ctx.state as TaskrState;
}
