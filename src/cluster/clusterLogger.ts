// The slice of the daemon's logger (pino) that cluster code uses.
type LogFn = (obj: object | string, msg?: string) => void;

export interface ClusterLogger {
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
