// Parses a Taskr database URL: sqlite:PATH, sqlite::memory:, postgres(ql)://...[?schema=name].
import { isAbsolute, resolve } from 'node:path';
import { TaskrError } from '../../errors.js';

export type ParsedStoreUrl =
  { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string; schema: string | null };

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

function parsePostgres(url: string): ParsedStoreUrl {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new TaskrError('store.unsupported_url', { url });
  }
  const schema = u.searchParams.get('schema');
  // pg does not know `schema`; it is applied as search_path instead.
  u.searchParams.delete('schema');
  if (schema !== null && !SCHEMA_NAME.test(schema))
    throw new TaskrError('store.unsupported_url', { url });
  return { kind: 'postgres', url: u.toString(), schema };
}

export function parseStoreUrl(url: string): ParsedStoreUrl {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return parsePostgres(url);
  if (url.startsWith('sqlite:')) {
    const rest = url.slice('sqlite:'.length);
    if (rest === ':memory:') return { kind: 'sqlite', path: ':memory:' };
    if (rest === '' || rest.startsWith('//'))
      throw new TaskrError('store.unsupported_url', { url });
    return { kind: 'sqlite', path: isAbsolute(rest) ? rest : resolve(rest) };
  }
  throw new TaskrError('store.unsupported_url', { url });
}
