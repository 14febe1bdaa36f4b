// Where the CLI client connects and as whom: flags, then TASKR_URL / TASKR_USERNAME /
// TASKR_PASSWORD / TASKR_API_TOKEN, then the config file (its bind/port and auth section),
// and last the admin password the daemon generated on first start, when this user can read
// it (so an operator on the daemon's host and account needs no setup).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../config/config.js';
import { CliError, EXIT_BAD_INPUT } from './cliError.js';

export interface ConnectionFlags {
  url?: string;
  user?: string;
  password?: string;
  token?: string;
  /** Config file to read defaults from (else TASKR_CONFIG). */
  config?: string;
}

export interface Connection {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:7007 */
  url: string;
  username: string | null;
  password: string | null;
  token: string | null;
}

const WILDCARD_BINDS = new Set(['0.0.0.0', '::', '[::]', '']);

/** The URL a local client reaches a daemon bound as configured at. */
export function urlFromConfig(config: Pick<Config, 'bind' | 'port'>): string {
  const bind = config.bind.trim();
  const host = WILDCARD_BINDS.has(bind) ? '127.0.0.1' : bind.includes(':') ? `[${bind}]` : bind;
  return `http://${host}:${config.port || 7007}`;
}

function checkedUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new CliError(
      `--url '${raw}' is not a URL; use e.g. http://127.0.0.1:7007`,
      EXIT_BAD_INPUT,
    );
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new CliError(`--url '${raw}' must start with http:// or https://`, EXIT_BAD_INPUT);
  }
  return u.toString().replace(/\/+$/, '');
}

const nonEmpty = (v: string | null | undefined): string | null => (v ? v : null);

export function resolveConnection(
  flags: ConnectionFlags,
  env: NodeJS.ProcessEnv = process.env,
): Connection {
  let config: Readonly<Config> | null = null;
  const fromConfig = (): Readonly<Config> => {
    try {
      config ??= loadConfig({ env, file: flags.config ?? env.TASKR_CONFIG ?? null });
    } catch (err) {
      throw new CliError((err as Error).message, EXIT_BAD_INPUT);
    }
    return config;
  };
  const url = flags.url ?? nonEmpty(env.TASKR_URL) ?? urlFromConfig(fromConfig());
  const token = nonEmpty(flags.token) ?? (flags.user ? null : fromConfig().auth.apiToken);
  let username = nonEmpty(flags.user) ?? fromConfig().auth.username;
  let password = nonEmpty(flags.password) ?? fromConfig().auth.password;
  if (!token && password === null && (username === null || username === 'admin')) {
    password = generatedAdminPassword(fromConfig());
    if (password !== null) username = 'admin';
  }
  return {
    url: checkedUrl(url),
    username: username ?? (password ? 'admin' : null),
    password,
    token: nonEmpty(token),
  };
}

/** The password the daemon generated (auth.passwordFile or <dataDir>/admin-password), if readable. */
export function generatedAdminPassword(config: Readonly<Config>): string | null {
  const auth = config.auth as { passwordFile?: string | null };
  const file = auth.passwordFile ?? join(config.dataDir, 'admin-password');
  try {
    const text = readFileSync(file, 'utf8').trim();
    return text.length > 0 ? text : null;
  } catch {
    return null;
  }
}
