// Prints a benchmark's figures as a fixed-width table (terminal) or a Markdown table (docs).
// Every bench reports rows of: measure, value, target, pass/fail ("-" when informational).

export interface Row {
  measure: string;
  value: string;
  /** "-" for a figure shown for context only. */
  target: string;
  /** null: informational, no target. */
  pass: boolean | null;
}

export interface BenchResult {
  /** Short id used on the command line and in the docs markers, e.g. `lateness`. */
  id: string;
  title: string;
  rows: Row[];
  /** Extra lines printed under the table (setup, caveats). */
  notes: string[];
}

const HEADERS = ['measure', 'value', 'target', 'pass/fail'] as const;

function verdict(pass: boolean | null): string {
  return pass === null ? '-' : pass ? 'pass' : 'FAIL';
}

function cells(row: Row): string[] {
  return [row.measure, row.value, row.target, verdict(row.pass)];
}

/** A plain-text table with a title line, aligned columns and a rule under the header. */
export function formatTable(result: BenchResult): string {
  const body = result.rows.map(cells);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const out = [`== ${result.title} ==`, line(HEADERS), widths.map((w) => '-'.repeat(w)).join('  ')];
  out.push(...body.map(line));
  out.push(...result.notes.map((n) => `  ${n}`));
  return out.join('\n');
}

/** The same rows as a GitHub Markdown table (pipes in cells escaped). */
export function markdownTable(result: BenchResult): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const rows = [HEADERS, HEADERS.map(() => '---'), ...result.rows.map(cells)];
  return rows.map((r) => `| ${r.map(esc).join(' | ')} |`).join('\n');
}

/** True when no row with a target failed. */
export function allPassed(result: BenchResult): boolean {
  return result.rows.every((r) => r.pass !== false);
}

/** Formats milliseconds with a fixed number of decimals and the unit. */
export function ms(value: number, decimals = 2): string {
  return `${value.toFixed(decimals)} ms`;
}
