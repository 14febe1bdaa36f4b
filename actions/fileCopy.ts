// FileCopy: copies one file on the daemon's host.
import { constants } from 'node:fs';
import { copyFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { defineActionType, type ParamSpec } from '../src/actions/contract.js';
import { hasEnvRefs, resolveParamsEnv } from '../src/actions/envRefs.js';
import { finish, validateParams, type ParamError } from '../src/actions/params.js';

export interface FileCopyParams {
  source: string;
  destination: string;
  overwrite: boolean;
}

const params: readonly ParamSpec[] = [
  {
    name: 'source',
    type: 'string',
    required: true,
    description: 'Absolute path of the file to copy.',
  },
  {
    name: 'destination',
    type: 'string',
    required: true,
    description: 'Absolute path of the copy, or an existing folder to copy into (same file name).',
  },
  {
    name: 'overwrite',
    type: 'boolean',
    required: false,
    default: false,
    description: 'Replace the destination if it exists. Default: false (the action fails instead).',
  },
];

async function statOrNull(path: string) {
  try {
    return await stat(path);
  } catch {
    return null;
  }
}

export default defineActionType<FileCopyParams>({
  name: 'FileCopy',
  description: 'Copies a file to a new location (optionally replacing an existing file).',
  params,
  validate(raw) {
    const r = validateParams('FileCopy', params, raw);
    if (!r.ok) return r;
    const errors: ParamError[] = [];
    for (const name of ['source', 'destination']) {
      const v = String(r.params[name]);
      if (!v.startsWith('/') && !hasEnvRefs(v)) {
        errors.push({ param: name, message: `must be an absolute path, got '${v}'` });
      }
    }
    return finish<FileCopyParams>(r.params, errors);
  },
  async run(raw, ctx) {
    const p = resolveParamsEnv(raw, params, (s) => ctx.resolveEnv(s));
    const src = await statOrNull(p.source);
    if (!src) return { ok: false, error: `source '${p.source}' does not exist` };
    if (!src.isFile()) return { ok: false, error: `source '${p.source}' is not a file` };
    const destStat = await statOrNull(p.destination);
    const dest = destStat?.isDirectory() ? join(p.destination, basename(p.source)) : p.destination;
    try {
      await copyFile(p.source, dest, p.overwrite ? 0 : constants.COPYFILE_EXCL);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'EEXIST') {
        return {
          ok: false,
          error: `destination '${dest}' exists; set overwrite to true to replace it`,
        };
      }
      return { ok: false, error: `cannot copy '${p.source}' to '${dest}': ${e.message}` };
    }
    ctx.output(`copied ${p.source} to ${dest} (${src.size} bytes)`);
    return { ok: true };
  },
});
