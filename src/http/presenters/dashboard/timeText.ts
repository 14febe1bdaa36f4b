// Times and durations as operators read them: "in 5 min", "3 h ago", "1.5s", "2m 5s".
// Pure functions of (value, now): the page is rendered once and the hover title keeps the
// exact instant, so nothing here needs a live clock.

const UNITS: [string, number][] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['min', 60_000],
  ['s', 1000],
];

/** 1500 -> "1.5s", 125000 -> "2m 5s". */
export function durationText(ms: unknown): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
  const total = Math.round(ms / 1000);
  const units: [string, number][] = [
    ['d', Math.floor(total / 86_400)],
    ['h', Math.floor((total % 86_400) / 3600)],
    ['m', Math.floor((total % 3600) / 60)],
    ['s', total % 60],
  ];
  const parts = units.filter(([, n]) => n > 0).map(([unit, n]) => `${n}${unit}`);
  return parts.slice(0, 2).join(' ');
}

/** The largest whole unit of a span: "5 min", "3 h", "2 d"; under a second "now". */
function span(ms: number): string {
  for (const [unit, size] of UNITS) {
    if (ms >= size) return `${Math.floor(ms / size)} ${unit}`;
  }
  return '';
}

/** "in 5 min" / "3 h ago" / "now"; '' for no date. */
export function relativeText(value: unknown, now: number): string {
  if (!(value instanceof Date) || !Number.isFinite(value.getTime())) return '';
  const diff = value.getTime() - now;
  const text = span(Math.abs(diff));
  if (text === '') return 'now';
  return diff > 0 ? `in ${text}` : `${text} ago`;
}

/** A duration the form accepts back: 1800000 -> "30m", 5400000 -> "1h30m", 1500 -> "1s500ms". */
export function compactDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return String(ms);
  const units: [string, number][] = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
    ['ms', 1],
  ];
  let rest = Math.round(ms);
  let out = '';
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out;
}
