// The one view model shape every presenter produces and every format renders: plain data
// with snake_case keys. Dates stay Dates so XML can type them and HTML can format them.

export type ViewScalar = string | number | boolean | Date | null;
export type ViewValue = ViewScalar | ViewValue[] | ViewRecord;
export interface ViewRecord {
  [key: string]: ViewValue;
}

/** ISO 8601 in UTC, without `.000` when there are no milliseconds. */
export function formatInstant(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}

/** The JSON form of a view model: Dates become ISO strings, everything else as is. */
export function toJsonValue(value: unknown): unknown {
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? formatInstant(value) : null;
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJsonValue(v);
    return out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}

export function renderJson(value: unknown): string {
  return `${JSON.stringify(toJsonValue(value), null, 2)}\n`;
}
