// Finds and imports action type files: every .ts/.mts/.js/.mjs file of a folder (not .d.ts),
// in name order. A file's default export (one type or a list) counts; without a default
// export, every named export that looks like an action type (has name and run) counts.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const TYPE_FILE = /\.(ts|mts|js|mjs)$/;

export async function actionFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && TYPE_FILE.test(e.name) && !/\.d\.m?ts$/.test(e.name))
    .filter((e) => !e.name.startsWith('.') && !/\.test\.[mc]?[tj]s$/.test(e.name))
    .map((e) => join(dir, e.name))
    .sort();
}

function looksLikeType(v: unknown): boolean {
  return typeof v === 'object' && v !== null && 'run' in v && 'name' in v;
}

/** The candidate exports of one file (not yet checked); [] when it exports none. */
export async function importCandidates(file: string): Promise<unknown[]> {
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  if (mod.default !== undefined) {
    return Array.isArray(mod.default) ? mod.default : [mod.default];
  }
  return Object.values(mod).filter(looksLikeType);
}
