// The one config module: the only reader of the environment and the config file.
// Precedence: CLI flags > TASKR_* environment > YAML/JSON config file > defaults.
// The result is validated (zod) and deeply frozen.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { TaskrError } from '../errors.js';
import { LOG_LEVELS, MISFIRE_POLICIES, OVERLAP_POLICIES } from '../domain/types.js';

const serviceSchema = z.strictObject({
  baseUrl: z.url(),
  headers: z.record(z.string(), z.string()).default({}),
  username: z.string().optional(),
  password: z.string().optional(),
  token: z.string().optional(),
});

/** true/false, also as the strings an environment variable holds ('true', 'false', '1', '0', 'yes', 'no'). */
const booleanSchema = z.preprocess((v) => {
  if (typeof v !== 'string') return v;
  const t = v.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(t)) return true;
  if (['false', '0', 'no', 'off'].includes(t)) return false;
  return v;
}, z.boolean());

const ROLES = ['admin', 'viewer'] as const;
// A Basic user name cannot hold ':' (it separates the password).
const userName = z
  .string()
  .regex(/^[^:\s]{1,64}$/, 'must be 1-64 characters without ":" or spaces');

const userSchema = z
  .strictObject({
    username: userName,
    password: z.string().min(1).optional(),
    passwordHash: z.string().startsWith('scrypt$').optional(),
    role: z.enum(ROLES).default('viewer'),
  })
  .refine((u) => (u.password === undefined) !== (u.passwordHash === undefined), {
    message: 'give exactly one of password and passwordHash',
  });

const tokenSchema = z
  .strictObject({
    name: z.string().min(1).max(64),
    token: z.string().min(16, 'a token must be at least 16 characters').optional(),
    tokenHash: z.string().startsWith('scrypt$').optional(),
    role: z.enum(ROLES).default('viewer'),
  })
  .refine((t) => (t.token === undefined) !== (t.tokenHash === undefined), {
    message: 'give exactly one of token and tokenHash',
  });

export const configSchema = z.strictObject({
  port: z.coerce.number().int().min(0).max(65535).default(7007),
  bind: z.string().min(1).default('127.0.0.1'),
  databaseUrl: z.string().min(1).default('sqlite:./data/taskr.sqlite'),
  dataDir: z.string().min(1).default('./data'),
  nodeName: z.string().min(1).default(`${hostname()}-${process.pid}`),
  /** The daemon's zone: tasks without their own timezone use it. */
  timezone: z
    .string()
    .min(1)
    .default(Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'),
  tasksFile: z.string().nullable().default(null),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  /** The daemon log: `json` lines, `pretty` text, or `auto` (pretty on a terminal). */
  logFormat: z.enum(['auto', 'json', 'pretty']).default('auto'),
  /** Written with the daemon's pid at start-up and removed on exit; none by default. */
  pidFile: z.string().min(1).nullable().default(null),
  /** On SIGTERM/SIGINT, how long running runs may finish before they are interrupted. */
  shutdownGraceMs: z.coerce.number().int().min(0).max(86_400_000).default(30_000),
  scheduler: z
    .strictObject({
      /** Longest single timer sleep; the loop re-checks the clock at least this often. */
      timerCapMs: z.coerce.number().int().min(10).max(300_000).default(30_000),
      /** An every/cron occurrence later than this counts as missed (misfire policy applies). */
      misfireThresholdMs: z.coerce.number().int().min(0).default(60_000),
      /** An in/at task that fell due while down still runs at start-up within this grace. */
      oneShotGraceMs: z.coerce.number().int().min(0).default(3_600_000),
      /** run_all runs at most this many missed occurrences; the rest become one missed row. */
      runAllCap: z.coerce.number().int().min(1).default(100),
      /** Runs in progress on this node at most; further due runs wait as pending. */
      maxConcurrentRuns: z.coerce.number().int().min(1).default(10_000),
    })
    .prefault({}),
  cluster: z
    .strictObject({
      /** A node whose heartbeat is older than this (database time) is dead. */
      leaseMs: z.coerce.number().int().min(1000).default(30_000),
      /** How often each node heartbeats (and checks for dead nodes). */
      heartbeatMs: z.coerce.number().int().min(100).default(5_000),
      /** Warn when this node's clock and the database's differ by more. */
      maxClockSkewMs: z.coerce.number().int().min(0).default(2_000),
      /** How often to poll for task changes a missed event did not bring. */
      pollMs: z.coerce.number().int().min(100).default(1_000),
    })
    .refine((c) => c.heartbeatMs * 2 <= c.leaseMs, {
      message: 'heartbeatMs must be at most half of leaseMs',
    })
    .prefault({}),
  defaults: z
    .strictObject({
      overlap: z.enum(OVERLAP_POLICIES).default('skip'),
      misfire: z.enum(MISFIRE_POLICIES).default('skip'),
      timeoutMs: z.coerce.number().int().min(1).default(3_600_000),
      retries: z.coerce.number().int().min(0).max(100).default(0),
      retryBackoffMs: z.coerce.number().int().min(0).default(10_000),
    })
    .prefault({}),
  runs: z
    .strictObject({
      /** Captured output kept per action, in bytes; beyond it the output is marked truncated. */
      outputCapBytes: z.coerce.number().int().min(1024).default(65_536),
    })
    .prefault({}),
  log: z
    .strictObject({
      /** Log entries below this level are not stored in the database. */
      storeLevel: z.enum(LOG_LEVELS).default('INFO'),
    })
    .prefault({}),
  actions: z
    .strictObject({
      /** When set, only these action types may be used (e.g. an install without Shell). */
      allow: z.array(z.string()).nullable().default(null),
      /** Extra folders of action type files, loaded at start-up (Taskr's external_actions). */
      externalDirs: z.array(z.string()).default([]),
      /** Named services for the Webhook action: a task gives service + action + payload. */
      services: z.record(z.string(), serviceSchema).default({}),
    })
    .prefault({}),
  auth: z
    .strictObject({
      /** Off only on a loopback bind: the daemon refuses to start otherwise. */
      enabled: booleanSchema.default(true),
      username: z.string().nullable().default(null),
      password: z.string().nullable().default(null),
      apiToken: z.string().nullable().default(null),
      /** More users: each with `password` (hashed at start-up) or `passwordHash` (scrypt$...). */
      users: z.array(userSchema).default([]),
      /** More bearer tokens: each with `token` (hashed at start-up) or `tokenHash`. */
      tokens: z.array(tokenSchema).default([]),
      /** Where the first start keeps the generated admin password; default <dataDir>/admin-password. */
      passwordFile: z.string().min(1).nullable().default(null),
    })
    .prefault({}),
  http: z
    .strictObject({
      /** Host names accepted besides localhost, loopback, the bind address and the hostname; '*' turns the check off. */
      allowedHosts: z.array(z.string().min(1)).default([]),
      cors: z
        .strictObject({
          /** Origins (scheme://host[:port]) allowed to call the API from a browser; none by default. */
          origins: z.array(z.string().min(1)).default([]),
        })
        .prefault({}),
      rateLimit: z
        .strictObject({
          /** Sustained requests per second per client address (0 = no limit). */
          perSecond: z.coerce.number().min(0).default(100),
          /** Requests a client may send at once before the per-second rate applies. */
          burst: z.coerce.number().int().min(1).default(200),
          /** Requests in progress at once, all clients together (0 = no limit). */
          maxInFlight: z.coerce.number().int().min(0).default(256),
        })
        .prefault({}),
      /** Largest request body, bytes (413 beyond). */
      bodyLimitBytes: z.coerce.number().int().min(1024).default(1_048_576),
      /** Deepest nesting of a JSON, XML or form body (400 beyond). */
      maxDepth: z.coerce.number().int().min(4).max(256).default(32),
      /** Longest string in a request body, characters (413 beyond). */
      maxFieldLength: z.coerce.number().int().min(256).default(65_536),
      /** Whole request (headers and body) must arrive within this (408 otherwise). */
      requestTimeoutMs: z.coerce.number().int().min(100).default(30_000),
      /** Request headers must arrive within this (slowloris). */
      headersTimeoutMs: z.coerce.number().int().min(100).default(10_000),
    })
    .prefault({})
    .refine((h) => h.headersTimeoutMs <= h.requestTimeoutMs, {
      message: 'headersTimeoutMs must not exceed requestTimeoutMs',
    }),
});

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type ServiceConfig = z.infer<typeof serviceSchema>;
export type AuthConfig = Config['auth'];
export type HttpConfig = Config['http'];
export type Role = (typeof ROLES)[number];

/** Environment variables and the config path they set. */
const ENV_KEYS: Record<string, string[]> = {
  TASKR_PORT: ['port'],
  TASKR_BIND: ['bind'],
  TASKR_DATABASE_URL: ['databaseUrl'],
  TASKR_DATA_DIR: ['dataDir'],
  TASKR_NODE_NAME: ['nodeName'],
  TASKR_TIMEZONE: ['timezone'],
  TASKR_TASKS_FILE: ['tasksFile'],
  TASKR_LOG_LEVEL: ['logLevel'],
  TASKR_CLUSTER_LEASE_MS: ['cluster', 'leaseMs'],
  TASKR_CLUSTER_HEARTBEAT_MS: ['cluster', 'heartbeatMs'],
  TASKR_LOG_FORMAT: ['logFormat'],
  TASKR_PID_FILE: ['pidFile'],
  TASKR_SHUTDOWN_GRACE_MS: ['shutdownGraceMs'],
  TASKR_USERNAME: ['auth', 'username'],
  TASKR_PASSWORD: ['auth', 'password'],
  TASKR_API_TOKEN: ['auth', 'apiToken'],
  TASKR_AUTH_ENABLED: ['auth', 'enabled'],
};

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  /** Explicit config file; otherwise TASKR_CONFIG; otherwise none. */
  file?: string | null;
  /** Highest precedence overrides (CLI flags), as a partial config. */
  overrides?: ConfigInput;
}

type Plain = Record<string, unknown>;

function isPlain(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function merge(base: Plain, over: Plain): Plain {
  const out: Plain = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    out[k] = isPlain(v) && isPlain(out[k]) ? merge(out[k] as Plain, v) : v;
  }
  return out;
}

function setPath(target: Plain, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    if (!isPlain(node[key])) node[key] = {};
    node = node[key] as Plain;
  }
  node[path[path.length - 1]!] = value;
}

export function readConfigFile(file: string): Plain {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new TaskrError('config.invalid', {
      detail: `cannot read config file ${file}: ${(err as Error).message}`,
    });
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (err) {
    throw new TaskrError('config.invalid', {
      detail: `config file ${file} is not valid YAML/JSON: ${(err as Error).message}`,
    });
  }
  if (parsed == null) return {};
  if (!isPlain(parsed)) {
    throw new TaskrError('config.invalid', { detail: `config file ${file} must hold a mapping` });
  }
  return parsed;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Builds the validated, frozen config. Throws config.invalid naming the key and the problem. */
export function loadConfig(opts: LoadConfigOptions = {}): Readonly<Config> {
  const env = opts.env ?? process.env;
  const file = opts.file !== undefined ? opts.file : (env.TASKR_CONFIG ?? null);
  const fromFile = file ? readConfigFile(file) : {};
  const fromEnv: Plain = {};
  for (const [name, path] of Object.entries(ENV_KEYS)) {
    const v = env[name];
    if (v !== undefined && v !== '') setPath(fromEnv, path, v);
  }
  const raw = merge(merge(fromFile, fromEnv), (opts.overrides ?? {}) as Plain);
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const detail = result.error.issues
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new TaskrError('config.invalid', { detail: `${detail}${file ? ` (file ${file})` : ''}` });
  }
  return deepFreeze(result.data);
}

/** A copy safe to print: secrets replaced by "***". */
export function maskedConfig(config: Readonly<Config>): Plain {
  const copy = JSON.parse(JSON.stringify(config)) as Plain;
  const auth = copy.auth as Plain;
  for (const k of ['password', 'apiToken']) if (auth[k]) auth[k] = '***';
  for (const u of auth.users as Plain[]) if (u.password) u.password = '***';
  for (const t of auth.tokens as Plain[]) if (t.token) t.token = '***';
  const services = (copy.actions as Plain).services as Record<string, Plain>;
  for (const s of Object.values(services)) {
    for (const k of ['password', 'token']) if (s[k]) s[k] = '***';
  }
  copy.databaseUrl = String(copy.databaseUrl).replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
  return copy;
}
