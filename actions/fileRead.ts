// FileRead: sends the lines of a file (or its last N lines) to the run output.
import { createReadStream } from 'node:fs';
import { defineActionType, type ParamSpec } from '../src/actions/contract.js';
import { hasEnvRefs, resolveParamsEnv } from '../src/actions/envRefs.js';
import { finish, validateParams, type ParamError } from '../src/actions/params.js';
import { LineSplitter } from '../src/process/lineSplitter.js';

export interface FileReadParams {
  path: string;
  tail?: number;
}

const params: readonly ParamSpec[] = [
  {
    name: 'path',
    type: 'string',
    required: true,
    description: 'Absolute path of the file to read.',
  },
  {
    name: 'tail',
    type: 'integer',
    required: false,
    description: 'Only the last N lines (N ≥ 1). Default: the whole file.',
  },
];

/** Streams the file through a line splitter; with tail, keeps only the last lines in memory. */
async function readLines(
  path: string,
  tail: number | undefined,
  signal: AbortSignal,
  emit: (l: string) => void,
) {
  const kept: string[] = [];
  const splitter = new LineSplitter((line) => {
    if (tail === undefined) return emit(line);
    kept.push(line);
    if (kept.length > tail) kept.shift();
  });
  for await (const chunk of createReadStream(path, { signal })) splitter.push(chunk as Buffer);
  splitter.end();
  kept.forEach(emit);
}

export default defineActionType<FileReadParams>({
  name: 'FileRead',
  description: 'Reads a text file (or its last lines) into the run output.',
  params,
  validate(raw) {
    const r = validateParams('FileRead', params, raw);
    if (!r.ok) return r;
    const errors: ParamError[] = [];
    const path = String(r.params.path);
    if (!path.startsWith('/') && !hasEnvRefs(path)) {
      errors.push({ param: 'path', message: `must be an absolute path, got '${path}'` });
    }
    if (typeof r.params.tail === 'number' && r.params.tail < 1) {
      errors.push({ param: 'tail', message: `must be at least 1, got ${r.params.tail}` });
    }
    return finish<FileReadParams>(r.params, errors);
  },
  async run(raw, ctx) {
    const p = resolveParamsEnv(raw, params, (s) => ctx.resolveEnv(s));
    try {
      await readLines(p.path, p.tail, ctx.signal, (line) => ctx.output(line, 'stdout'));
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'ENOENT') return { ok: false, error: `file '${p.path}' does not exist` };
      if (e.code === 'EISDIR') return { ok: false, error: `'${p.path}' is a folder, not a file` };
      return { ok: false, error: `cannot read '${p.path}': ${e.message}` };
    }
    return { ok: true };
  },
});
