// The daemon's signal handling. SIGTERM/SIGINT: stop accepting and firing, let running runs
// finish within the grace period, interrupt the rest, exit 0 (a second signal interrupts at
// once). SIGHUP: re-apply the tasks file. The process is injectable so tests need no real signals.
import type { EventEmitter } from 'node:events';

interface SignalLogger {
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

export interface SignalHandlerOptions {
  logger: SignalLogger;
  graceMs: number;
  /** Stops serving and firing, waits up to graceMs for running runs, closes the store. */
  stop(graceMs: number): Promise<void>;
  /** Interrupts running runs now (second SIGTERM/SIGINT during the grace period). */
  interruptNow?(): Promise<void>;
  /** How many runs are executing (for the log line). */
  runsInProgress?(): number;
  /** Re-applies the tasks file; absent when none is configured. */
  reload?(): Promise<string>;
  /** Called with the exit code once stopped (default process.exit). */
  exit?(code: number): void;
  /** Default: the real process. */
  proc?: Pick<EventEmitter, 'on' | 'off'>;
}

export const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** Installs the handlers; returns a function that removes them. */
export function installSignalHandlers(opts: SignalHandlerOptions): () => void {
  const proc = opts.proc ?? process;
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  const { logger } = opts;
  let stopping = false;

  const onStop = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second stop signal: interrupting running runs now');
      opts
        .interruptNow?.()
        .catch((err: unknown) => logger.error({ err }, 'error interrupting runs'));
      return;
    }
    stopping = true;
    const running = opts.runsInProgress?.() ?? 0;
    logger.info(
      { signal, graceMs: opts.graceMs, runsInProgress: running },
      `${signal}: stopping; no new runs; waiting up to ${opts.graceMs} ms for ${running} running run(s)`,
    );
    opts.stop(opts.graceMs).then(
      () => {
        logger.info({ signal }, 'stopped');
        exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'error while stopping');
        exit(1);
      },
    );
  };

  const onHup = () => {
    if (stopping) return;
    if (!opts.reload)
      return void logger.info('SIGHUP: no tasks file configured; nothing to reload');
    opts.reload().then(
      (summary) => logger.info(`SIGHUP: ${summary}`),
      (err: unknown) =>
        logger.error(
          { err: (err as Error)?.message ?? String(err) },
          'SIGHUP: tasks file not applied',
        ),
    );
  };

  const handlers: [string, (signal: string) => void][] = [
    ...STOP_SIGNALS.map((s): [string, (signal: string) => void] => [s, onStop]),
    ['SIGHUP', onHup],
  ];
  for (const [signal, fn] of handlers) proc.on(signal, fn);
  return () => {
    for (const [signal, fn] of handlers) proc.off(signal, fn);
  };
}
