// Small SQL-building helpers shared by the stores.

/** `?, ?, ?` for n parameters. */
export function placeholders(n: number): string {
  return new Array<string>(n).fill('?').join(', ');
}

/** Splits a list into chunks so no statement exceeds the backend's parameter limit. */
export function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

function nonNegativeInt(v: number | undefined): number | undefined {
  if (v === undefined || !Number.isFinite(v)) return undefined;
  return Math.max(0, Math.trunc(v));
}

/**
 * LIMIT/OFFSET clause, inlined as validated integers. SQLite needs a LIMIT before OFFSET
 * (-1 = no limit); PostgreSQL accepts OFFSET alone.
 */
export function pageClause(kind: 'sqlite' | 'postgres', limit?: number, offset?: number): string {
  const l = nonNegativeInt(limit);
  const o = nonNegativeInt(offset);
  let clause = '';
  if (l !== undefined) clause += ` LIMIT ${l}`;
  else if (o !== undefined && kind === 'sqlite') clause += ' LIMIT -1';
  if (o !== undefined) clause += ` OFFSET ${o}`;
  return clause;
}

/** Escapes LIKE wildcards; use with `ESCAPE '\'`. */
export function likeContains(s: string): string {
  return `%${s.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Rows per multi-row statement: stays well under SQLite's 32766 and pg's 65535 parameters. */
export const PARAMS_PER_STATEMENT = 10_000;

export function rowsPerStatement(columns: number): number {
  return Math.max(1, Math.floor(PARAMS_PER_STATEMENT / columns));
}
