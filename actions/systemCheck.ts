// SystemCheck: reads one system value (a sysctl, a /proc or /sys file, the free space of a
// mount) and checks it against an expectation.
import { readFile, statfs } from 'node:fs/promises';
import { defineActionType, type ParamSpec } from '../src/actions/contract.js';
import { resolveParamsEnv } from '../src/actions/envRefs.js';
import { finish, validateParams, type ParamError } from '../src/actions/params.js';

export interface SystemCheckParams {
  sysctl?: string;
  path?: string;
  disk_free?: string;
  expect?: string;
  min?: number;
  max?: number;
  matches?: string;
}

const params: readonly ParamSpec[] = [
  {
    name: 'sysctl',
    type: 'string',
    required: false,
    description: 'Kernel setting to read, e.g. net.ipv4.ip_forward (read from /proc/sys/...).',
  },
  {
    name: 'path',
    type: 'string',
    required: false,
    description: 'File whose (trimmed) content is the value, e.g. /proc/loadavg.',
  },
  {
    name: 'disk_free',
    type: 'string',
    required: false,
    description: 'A path on a mounted file system; the value is its free space in bytes.',
  },
  {
    name: 'expect',
    type: 'string',
    required: false,
    description: 'The value must equal this text.',
  },
  {
    name: 'min',
    type: 'number',
    required: false,
    description: 'The value (its first number, e.g. the 1-minute load) must be at least this.',
  },
  {
    name: 'max',
    type: 'number',
    required: false,
    description: 'The value (its first number, e.g. the 1-minute load) must be at most this.',
  },
  {
    name: 'matches',
    type: 'string',
    required: false,
    description: 'The value must match this regular expression, e.g. ^(0|1)$.',
  },
];

const SOURCES = ['sysctl', 'path', 'disk_free'] as const;
const SYSCTL_NAME = /^[A-Za-z0-9_-]+([./][A-Za-z0-9_-]+)*$/;

function sourceErrors(p: Record<string, unknown>): ParamError[] {
  const given = SOURCES.filter((s) => p[s] !== undefined);
  if (given.length !== 1) {
    const what = given.length === 0 ? 'none was given' : `got ${given.join(' and ')}`;
    return [{ param: 'sysctl', message: `or path or disk_free: give exactly one (${what})` }];
  }
  if (typeof p.sysctl === 'string' && !SYSCTL_NAME.test(p.sysctl)) {
    return [
      { param: 'sysctl', message: `'${p.sysctl}' is not a sysctl name (e.g. vm.swappiness)` },
    ];
  }
  for (const key of ['path', 'disk_free'] as const) {
    const v = p[key];
    if (typeof v === 'string' && !v.startsWith('/')) {
      return [{ param: key, message: `must be an absolute path, got '${v}'` }];
    }
  }
  return [];
}

function checkErrors(p: Record<string, unknown>): ParamError[] {
  if (typeof p.matches !== 'string') return [];
  try {
    new RegExp(p.matches);
    return [];
  } catch (err) {
    return [
      { param: 'matches', message: `is not a valid regular expression: ${(err as Error).message}` },
    ];
  }
}

/** The value and a label for messages, e.g. ["1", "net.ipv4.ip_forward"]. */
async function readValue(p: SystemCheckParams): Promise<[string, string]> {
  if (p.disk_free !== undefined) {
    const s = await statfs(p.disk_free);
    return [String(s.bavail * s.bsize), `free bytes on ${p.disk_free}`];
  }
  if (p.sysctl !== undefined) {
    const file = `/proc/sys/${p.sysctl.replaceAll('.', '/')}`;
    return [(await readFile(file, 'utf8')).trim(), p.sysctl];
  }
  return [(await readFile(p.path!, 'utf8')).trim(), p.path!];
}

/** The first failed expectation, as "expected ..., actual ...", or null. */
function failedCheck(p: SystemCheckParams, value: string, label: string): string | null {
  if (p.expect !== undefined && value !== p.expect.trim()) {
    return `${label}: expected '${p.expect.trim()}', actual '${value}'`;
  }
  if (p.matches !== undefined && !new RegExp(p.matches).test(value)) {
    return `${label}: expected to match /${p.matches}/, actual '${value}'`;
  }
  if (p.min === undefined && p.max === undefined) return null;
  const n = Number(value.split(/\s+/)[0]);
  if (!Number.isFinite(n)) return `${label}: expected a number, actual '${value}'`;
  if (p.min !== undefined && n < p.min) return `${label}: expected at least ${p.min}, actual ${n}`;
  if (p.max !== undefined && n > p.max) return `${label}: expected at most ${p.max}, actual ${n}`;
  return null;
}

export default defineActionType<SystemCheckParams>({
  name: 'SystemCheck',
  description:
    'Reads a system setting (a sysctl, a file such as /proc/loadavg, or the free disk space ' +
    'of a mount) and fails unless it meets the expectation (expect, matches, min, max).',
  params,
  validate(raw) {
    const r = validateParams('SystemCheck', params, raw);
    if (!r.ok) return r;
    return finish<SystemCheckParams>(r.params, [
      ...sourceErrors(r.params),
      ...checkErrors(r.params),
    ]);
  },
  async run(raw, ctx) {
    const p = resolveParamsEnv(raw, params, (s) => ctx.resolveEnv(s));
    let value: string;
    let label: string;
    try {
      [value, label] = await readValue(p);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      const what = p.sysctl ? `sysctl ${p.sysctl}` : (p.path ?? p.disk_free);
      return {
        ok: false,
        error: `cannot read ${what}: ${e.code === 'ENOENT' ? 'no such setting or file' : e.message}`,
      };
    }
    ctx.output(`${label} = ${value}`);
    const failed = failedCheck(p, value, label);
    return failed ? { ok: false, error: failed } : { ok: true };
  },
});
