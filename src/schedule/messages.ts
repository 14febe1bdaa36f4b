// Shared wording for schedule validation errors, so every rejection reads the same way:
// field `schedule_when`, message `'<input>' for <method>: <reason>`.
import { ValidationError, type FieldError } from '../errors.js';

export const WHEN_FIELD = 'schedule_when';
export const METHOD_FIELD = 'schedule_method';
export const TIMEZONE_FIELD = 'timezone';

export function whenFieldError(when: string, method: string, reason: string): FieldError {
  return { field: WHEN_FIELD, message: `'${when}' for ${method}: ${reason}` };
}

export function whenError(when: string, method: string, reason: string): ValidationError {
  return new ValidationError([whenFieldError(when, method, reason)]);
}

export function zoneFieldError(zone: string): FieldError {
  return {
    field: TIMEZONE_FIELD,
    message: `'${zone}' is not an IANA time zone (e.g. Europe/Paris, UTC)`,
  };
}

/** An instant as ISO 8601 in UTC, without the `.000` when there are no milliseconds. */
export function isoInstant(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
