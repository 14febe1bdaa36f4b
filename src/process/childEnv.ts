// The environment a child process gets: the daemon's own, minus the daemon's secrets
// (its API credentials and database URL), plus the action's variables.

/** Daemon variables never passed to commands: they would leak Taskr's own credentials. */
export const WITHHELD_ENV = ['TASKR_PASSWORD', 'TASKR_API_TOKEN', 'TASKR_DATABASE_URL'] as const;

export function childEnv(
  extra: Record<string, unknown> = {},
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const k of WITHHELD_ENV) delete env[k];
  for (const [k, v] of Object.entries(extra)) {
    if (v === null || v === undefined) delete env[k];
    else env[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return env;
}
