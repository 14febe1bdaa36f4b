// The one error catalogue: every error Taskr raises on purpose has a stable code,
// an HTTP status and a message template that names the component and the input.
// Templates use {placeholders} filled from the error's params.

interface CatalogueEntry {
  status: number;
  message: string;
}

export const CATALOGUE = {
  'config.invalid': { status: 500, message: 'config: {detail}' },
  'schedule.invalid': { status: 422, message: "schedule_when '{when}' for {method}: {reason}" },
  'schedule.method_invalid': {
    status: 422,
    message: "schedule_method '{method}' is not allowed; use in, every, at or cron",
  },
  'schedule.timezone_invalid': {
    status: 422,
    message: "timezone '{timezone}' is not an IANA time zone (e.g. Europe/Paris, UTC)",
  },
  'task.validation': { status: 422, message: 'task: {detail}' },
  'task.not_found': { status: 404, message: 'task {id} not found' },
  'task.name_taken': { status: 422, message: "name '{name}' has already been taken" },
  'run.not_found': { status: 404, message: 'run {id} not found' },
  'run.illegal_transition': {
    status: 409,
    message: 'run status cannot change from {from} to {to}',
  },
  'run.not_active': { status: 409, message: 'task {id} has no run in progress' },
  'action.unknown_type': {
    status: 422,
    message: "action_class_name '{name}' is not a known action type; known: {known}",
  },
  'action.invalid_params': { status: 422, message: '{type} action: {detail}' },
  'action.type_broken': { status: 500, message: 'action type in {file}: {detail}' },
  'action.disallowed_type': {
    status: 422,
    message: "action type '{name}' is not allowed by this daemon's config (actions.allow)",
  },
  'store.sqlite_locked': { status: 500, message: 'store: {detail}' },
  'store.unsupported_url': {
    status: 500,
    message:
      "database url '{url}' is not supported; use sqlite:PATH, sqlite::memory: or postgres://...",
  },
  'tasks_file.invalid': { status: 500, message: 'tasks file {file}: {detail}' },
  'auth.required': {
    status: 401,
    message:
      'authentication required: send HTTP Basic credentials or an Authorization: Bearer token',
  },
  'auth.invalid_credentials': {
    status: 401,
    message: 'authentication failed: the {scheme} credentials were not accepted',
  },
  'auth.malformed': { status: 401, message: 'Authorization header: {detail}' },
  'auth.forbidden': {
    status: 403,
    message: "user '{user}' has role {role}, which may only read (GET, HEAD); {method} needs admin",
  },
  'auth.disabled_on_network': {
    status: 500,
    message:
      "auth.enabled is false but bind is '{bind}', not a loopback address; authentication may be turned off only on 127.0.0.1, ::1 or localhost",
  },
  'auth.password_file': { status: 500, message: 'admin password file {file}: {detail}' },
  'http.host_not_allowed': {
    status: 421,
    message:
      "Host '{host}' is not served here; allowed: {allowed} (add names to http.allowedHosts)",
  },
  'http.origin_forbidden': {
    status: 403,
    message:
      "Origin '{origin}' is not this server's origin; cross-site requests are refused (http.cors.origins lists allowed origins)",
  },
  'http.csrf_failed': {
    status: 403,
    message:
      'CSRF check failed: {detail}; reload the form and submit it again (API clients send JSON or XML, or a Bearer token)',
  },
  'http.rate_limited': {
    status: 429,
    message:
      'too many requests from {client}: more than {limit} per second; retry after {retryAfter}s',
  },
  'http.too_busy': {
    status: 429,
    message: 'too many requests in progress (limit {limit}); retry after {retryAfter}s',
  },
  'http.body_too_deep': {
    status: 400,
    message: '{kind} body is nested deeper than {limit} levels',
  },
  'http.field_too_long': {
    status: 413,
    message: "{kind} body: field '{field}' is longer than {limit} characters",
  },
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof CATALOGUE;
export type ErrorParams = Record<string, string | number | boolean | null | undefined>;

function render(template: string, params: ErrorParams): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in params ? String(params[key]) : whole,
  );
}

export class TaskrError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly params: ErrorParams;
  /** For validation errors: the field each message belongs to (snake_case API name). */
  readonly field: string | undefined;

  constructor(code: ErrorCode, params: ErrorParams = {}, field?: string) {
    super(render(CATALOGUE[code].message, params));
    this.name = 'TaskrError';
    this.code = code;
    this.status = CATALOGUE[code].status;
    this.params = params;
    this.field = field;
  }
}

/**
 * One field error of a validation failure. `message` reads after the field name:
 * field `schedule_when`, message `'5x' for every: unknown unit 'x'; use ms, s, m, h, d, w, M, y`
 * gives "schedule_when '5x' for every: ..." (and "Schedule when '5x' ..." in XML).
 */
export interface FieldError {
  field: string;
  message: string;
}

/**
 * A validation failure with one or more field errors (HTTP 422). The API renders
 * each as "<Humanized field> <message>" for XML and as errors[field] for JSON.
 */
export class ValidationError extends Error {
  readonly code = 'validation' as const;
  readonly status = 422;
  readonly errors: readonly FieldError[];

  constructor(errors: FieldError[]) {
    super(errors.map((e) => `${e.field} ${e.message}`).join('; '));
    this.name = 'ValidationError';
    this.errors = Object.freeze(errors.slice());
  }

  static single(field: string, message: string): ValidationError {
    return new ValidationError([{ field, message }]);
  }
}

export function isTaskrError(err: unknown): err is TaskrError {
  return err instanceof TaskrError;
}
