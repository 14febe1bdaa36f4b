// Writes the latest figures into docs/benchmarks.md: the machine block and one block per
// bench, each between `<!-- bench:ID -->` and `<!-- /bench:ID -->` markers, so running a
// single bench updates only its own table and the prose around the markers is kept.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Machine } from './machine.js';
import { markdownTable, type BenchResult } from './table.js';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';

export const DOCS_FILE = join(PACKAGE_ROOT, 'docs', 'benchmarks.md');

function machineBlock(m: Machine, date: string): string {
  return [
    `Measured ${date} on:`,
    '',
    `- CPU: ${m.cpuModel} (\`nproc\`: ${m.nproc})`,
    `- Node ${m.node}, ${m.os}`,
    `- load average at the start (1/5/15 min): ${m.load}${m.busy ? ' (busy: other work was running, figures are pessimistic)' : ''}`,
    '- `free -h`:',
    '',
    '```',
    m.memory,
    '```',
  ].join('\n');
}

function benchBlock(r: BenchResult, date: string): string {
  return [
    `### ${r.title}`,
    '',
    `_Run ${date}._`,
    '',
    markdownTable(r),
    '',
    ...r.notes.map((n) => `- ${n}`),
  ].join('\n');
}

/** Replaces the block between the markers, or appends the marked block at the end. */
function replaceBlock(text: string, id: string, body: string): string {
  const open = `<!-- bench:${id} -->`;
  const close = `<!-- /bench:${id} -->`;
  const block = `${open}\n${body}\n${close}`;
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  if (start >= 0 && end > start)
    return text.slice(0, start) + block + text.slice(end + close.length);
  return `${text.trimEnd()}\n\n${block}\n`;
}

/** Formats like `npm run format` does, so `prettier --check .` stays clean after a run. */
async function prettierFormat(text: string): Promise<string> {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(DOCS_FILE)) ?? {};
  return prettier.format(text, { ...options, filepath: DOCS_FILE });
}

export async function updateDocs(results: BenchResult[], machine: Machine): Promise<string> {
  const date = new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  let text = readFileSync(DOCS_FILE, 'utf8');
  text = replaceBlock(text, 'machine', machineBlock(machine, date));
  for (const r of results) text = replaceBlock(text, r.id, benchBlock(r, date));
  writeFileSync(DOCS_FILE, await prettierFormat(text));
  return DOCS_FILE;
}
