// The daemon's own structured log (not the per-task log entries in the database):
// pino JSON lines on stdout. pino is fast, well kept and the de-facto Node choice.
import { pino, type DestinationStream, type Logger } from 'pino';
import { prettyStream } from './prettyStream.js';

export type { Logger };

export interface LoggerOptions {
  level: string;
  /** Defaults to stdout. */
  destination?: NodeJS.WritableStream;
  /** `json` lines, `pretty` (human-readable), or `auto`: pretty when the output is a TTY. */
  format?: 'json' | 'pretty' | 'auto';
}

function destinationFor(opts: LoggerOptions): DestinationStream {
  const out = opts.destination ?? process.stdout;
  const tty = (out as { isTTY?: boolean }).isTTY === true;
  const pretty = opts.format === 'pretty' || ((opts.format ?? 'auto') === 'auto' && tty);
  return pretty ? prettyStream(out, tty) : (out as DestinationStream);
}

export function createLogger(opts: LoggerOptions): Logger {
  return pino(
    {
      level: opts.level,
      base: { service: 'taskr' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destinationFor(opts),
  );
}

/** A logger that drops everything (tests, benchmarks). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
