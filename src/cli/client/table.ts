// Plain-text tables and key/value blocks for the CLI's readable output (no colours, so the
// output pipes cleanly into grep/awk; `--json` is there for scripts).

export type Cell = string | number | boolean | null | undefined;

const MAX_CELL = 60;

export function cellText(v: Cell): string {
  if (v === null || v === undefined || v === '') return '-';
  const text = String(v).replace(/\s+/g, ' ');
  return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text;
}

/** Columns padded to their widest cell; the last column is not padded. */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly Cell[])[],
): string {
  const cells = [headers.map((h) => h), ...rows.map((r) => r.map(cellText))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const lines = cells.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
  return `${lines.join('\n')}\n`;
}

/** `key: value` lines, keys aligned. Multi-line values are indented under their key. */
export function renderFields(fields: readonly (readonly [string, Cell])[]): string {
  const width = Math.max(0, ...fields.map(([k]) => k.length));
  return fields
    .map(([k, v]) => {
      const text = v === null || v === undefined || v === '' ? '-' : String(v);
      const [first, ...rest] = text.split('\n');
      const pad = ' '.repeat(width + 2);
      return [`${`${k}:`.padEnd(width + 2)}${first}`, ...rest.map((l) => `${pad}${l}`)].join('\n');
    })
    .join('\n')
    .concat('\n');
}

/** An API instant (`2026-03-01T12:00:00Z`) shown compactly: `2026-03-01 12:00:00Z`. */
export function instant(v: unknown): string | null {
  if (typeof v !== 'string' || v === '') return null;
  return v.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function duration(ms: unknown): string | null {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return null;
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
