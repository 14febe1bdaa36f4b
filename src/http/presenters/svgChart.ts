// The task page's chart of its last runs, rendered on the server as inline SVG (no script,
// no library): one bar per run, oldest on the left, height = duration, colour = outcome.
// Runs without a duration (skipped, missed, still pending) show as a short stub at the
// baseline so that they still count visibly. Each bar links to its run and has a tooltip.
import type { Run, RunStatus } from '../../domain/types.js';
import { durationText } from './dashboard/timeText.js';
import { formatInstant } from './viewModel.js';

const W = 600;
const H = 150;
const TOP = 12;
const BOTTOM = 122;
const LEFT = 48;
const RIGHT = 8;
const SLOTS = 50;
const STUB = 3;

export const STATUS_COLOURS: Readonly<Record<RunStatus, string>> = {
  succeeded: '#2da44e',
  failed: '#cf222e',
  timed_out: '#bc4c00',
  interrupted: '#8250df',
  cancelled: '#8c959f',
  skipped: '#d4a72c',
  missed: '#d4a72c',
  pending: '#2f6fdf',
  running: '#2f6fdf',
};

function esc(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

function summary(runs: readonly Run[], max: number): string {
  const counts = new Map<string, number>();
  for (const r of runs) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  const parts = [...counts].map(([s, n]) => `${n} ${s.replace('_', ' ')}`);
  const longest = max > 0 ? `; longest ${durationText(max)}` : '';
  return `Last ${runs.length} run${runs.length === 1 ? '' : 's'}: ${parts.join(', ')}${longest}`;
}

function bar(run: Run, i: number, max: number): string {
  const slot = (W - LEFT - RIGHT) / SLOTS;
  const x = LEFT + i * slot + slot * 0.15;
  const width = slot * 0.7;
  const d = run.durationMs;
  const height = d !== null && max > 0 ? Math.max(STUB, (d / max) * (BOTTOM - TOP)) : STUB;
  const y = BOTTOM - height;
  const when = run.startedAt ?? run.scheduledFor;
  const tip = `Run #${run.id}: ${run.status}${d !== null ? `, ${durationText(d)}` : ''}, ${formatInstant(when)}`;
  const fill = STATUS_COLOURS[run.status] ?? '#8c959f';
  return (
    `<a href="/runs/${run.id}"><rect class="bar" x="${x.toFixed(1)}" y="${y.toFixed(1)}" ` +
    `width="${width.toFixed(1)}" height="${height.toFixed(1)}" rx="1.5" fill="${fill}">` +
    `<title>${esc(tip)}</title></rect></a>`
  );
}

/** The SVG markup (safe to insert unescaped) and its one-line text summary. */
export function runsChart(newestFirst: readonly Run[]): { svg: string; summary: string } {
  const runs = [...newestFirst].slice(0, SLOTS).reverse();
  const max = Math.max(0, ...runs.map((r) => r.durationMs ?? 0));
  const text = runs.length === 0 ? 'No runs yet' : summary(runs, max);
  const axis = [
    `<line x1="${LEFT}" y1="${TOP}" x2="${W - RIGHT}" y2="${TOP}" class="grid" stroke="#dde1e7" stroke-dasharray="3 3"/>`,
    `<line x1="${LEFT}" y1="${BOTTOM}" x2="${W - RIGHT}" y2="${BOTTOM}" stroke="#98a2b3"/>`,
    `<text x="${LEFT - 6}" y="${TOP + 4}" text-anchor="end">${esc(durationText(max) || '0')}</text>`,
    `<text x="${LEFT - 6}" y="${BOTTOM + 4}" text-anchor="end">0</text>`,
    `<text x="${LEFT}" y="${H - 8}">older</text>`,
    `<text x="${W - RIGHT}" y="${H - 8}" text-anchor="end">newer</text>`,
  ].join('');
  const bars = runs.map((r, i) => bar(r, i, max)).join('');
  const svg =
    `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(text)}" ` +
    `xmlns="http://www.w3.org/2000/svg" font-size="11" fill="#667085">` +
    `<title>${esc(text)}</title>${axis}${bars}</svg>`;
  return { svg, summary: text };
}
