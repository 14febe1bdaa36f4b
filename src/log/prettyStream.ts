// A tiny human-readable formatter for the daemon log on a terminal (instead of adding
// pino-pretty): each pino JSON line becomes `time LEVEL message key=value ...`, with the
// level coloured when the output is a TTY. Lines that are not JSON pass through unchanged.

const LEVEL_COLOURS: Readonly<Record<string, string>> = {
  trace: '\x1b[90m',
  debug: '\x1b[36m',
  info: '\x1b[32m',
  warn: '\x1b[33m',
  error: '\x1b[31m',
  fatal: '\x1b[35m',
};
const RESET = '\x1b[0m';
/** Fields shown in the line's head, or not at all. */
const HIDDEN = new Set(['time', 'level', 'msg', 'service', 'pid', 'hostname']);

function valueText(v: unknown): string {
  if (typeof v === 'string') return /[\s="]/.test(v) || v === '' ? JSON.stringify(v) : v;
  if (v && typeof v === 'object' && typeof (v as { message?: unknown }).message === 'string') {
    const e = v as { message: string; stack?: string };
    return JSON.stringify(e.stack ?? e.message);
  }
  return JSON.stringify(v);
}

export function formatLine(line: string, colour: boolean): string {
  let rec: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return line;
    rec = parsed as Record<string, unknown>;
  } catch {
    return line;
  }
  const level = String(rec.level ?? 'info');
  const label = level.toUpperCase().padEnd(5);
  const shown = colour ? `${LEVEL_COLOURS[level] ?? ''}${label}${RESET}` : label;
  const rest = Object.entries(rec)
    .filter(([k]) => !HIDDEN.has(k))
    .map(([k, v]) => `${k}=${valueText(v)}`);
  const head = [String(rec.time ?? ''), shown, String(rec.msg ?? '')].filter((s) => s !== '');
  return [...head, ...rest].join(' ');
}

export interface LineSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** A pino destination writing formatted lines to `out` (synchronously, like stdout). */
export function prettyStream(
  out: LineSink,
  colour = out.isTTY === true,
): { write(chunk: string): void } {
  return {
    write(chunk: string) {
      for (const line of chunk.split('\n'))
        if (line !== '') out.write(`${formatLine(line, colour)}\n`);
    },
  };
}
