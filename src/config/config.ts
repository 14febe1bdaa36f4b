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
      username: z.string().nullable().default(null),
      password: z.string().nullable().default(null),
      apiToken: z.string().nullable().default(null),
    })
    .prefault({}),
});

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type ServiceConfig = z.infer<typeof serviceSchema>;

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
  TASKR_USERNAME: ['auth', 'username'],
  TASKR_PASSWORD: ['auth', 'password'],
  TASKR_API_TOKEN: ['auth', 'apiToken'],
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
  const services = (copy.actions as Plain).services as Record<string, Plain>;
  for (const s of Object.values(services)) {
    for (const k of ['password', 'token']) if (s[k]) s[k] = '***';
  }
  copy.databaseUrl = String(copy.databaseUrl).replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
  return copy;
}
