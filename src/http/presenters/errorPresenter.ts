// Every error a request can meet, as one view: status, extra headers, full messages (each
// starting with the humanized field, as ActiveResource attaches them to attributes) and
// the per-field messages JSON clients and the HTML form show beside each field.
import { TaskrError, ValidationError, type FieldError } from '../../errors.js';
import { HttpError } from '../httpError.js';

export interface ErrorView {
  status: number;
  headers: Record<string, string>;
  /** Full messages: "Schedule when '5x' for every: unknown unit 'x'; ...". */
  messages: string[];
  /** Per field, the messages as they read after the field name. */
  fieldErrors: Record<string, string[]>;
  /** Not the client's fault: log it. */
  internal: boolean;
}

/** `schedule_when` -> `Schedule when` (Rails' humanize). */
export function humanize(field: string): string {
  const text = field.replace(/_id$/, '').replace(/_/g, ' ').trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The message without a leading copy of the field name (catalogue messages start with it). */
function afterField(field: string, message: string): string {
  return message.startsWith(`${field} `) ? message.slice(field.length + 1) : message;
}

export function fullMessage(field: string, message: string): string {
  return `${humanize(field)} ${afterField(field, message)}`;
}

function capitalize(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}

function fromFieldErrors(status: number, errors: readonly FieldError[]): ErrorView {
  const fieldErrors: Record<string, string[]> = {};
  for (const e of errors) {
    (fieldErrors[e.field] ??= []).push(afterField(e.field, e.message));
  }
  return {
    status,
    headers: {},
    messages: errors.map((e) => fullMessage(e.field, e.message)),
    fieldErrors,
    internal: false,
  };
}

function httpStatusOf(err: unknown): number | null {
  const status = (err as { status?: unknown; expose?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : null;
}

export function errorView(err: unknown): ErrorView {
  if (err instanceof ValidationError) return fromFieldErrors(err.status, err.errors);
  if (err instanceof TaskrError) {
    if (err.field) return fromFieldErrors(err.status, [{ field: err.field, message: err.message }]);
    return {
      status: err.status,
      headers: {},
      messages: [capitalize(err.message)],
      fieldErrors: {},
      internal: err.status >= 500,
    };
  }
  if (err instanceof HttpError) {
    return {
      status: err.status,
      headers: { ...err.headers },
      messages: [capitalize(err.message)],
      fieldErrors: {},
      internal: err.status >= 500,
    };
  }
  // Koa's own client errors (ctx.throw, http-errors) keep their status and message.
  const clientStatus = httpStatusOf(err);
  if (clientStatus !== null) {
    return {
      status: clientStatus,
      headers: {},
      messages: [capitalize((err as Error).message || 'bad request')],
      fieldErrors: {},
      internal: false,
    };
  }
  return {
    status: 500,
    headers: {},
    messages: ['Internal error: the server could not complete the request (see the daemon log)'],
    fieldErrors: {},
    internal: true,
  };
}

/** The JSON error body: {"error": "...", "errors": {"schedule_when": ["..."]}}. */
export function errorJson(view: ErrorView): Record<string, unknown> {
  const body: Record<string, unknown> = { error: view.messages.join('; ') };
  if (Object.keys(view.fieldErrors).length > 0) body.errors = view.fieldErrors;
  return body;
}
