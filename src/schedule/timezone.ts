// IANA zone checks. Luxon asks Intl, so "valid" means "this Node's ICU knows the zone".
import { IANAZone } from 'luxon';

// Asking Intl costs up to a millisecond per call; the set of zones a daemon sees is small,
// so answers are cached for the process's life (ICU's zone list does not change at run time).
const validity = new Map<string, boolean>();
const canonicalNames = new Map<string, string>();

/** True for a zone name Intl accepts (e.g. `Europe/Paris`, `UTC`); false for offsets, blanks, padding. */
export function isValidTimezone(zone: string): boolean {
  if (typeof zone !== 'string' || zone === '' || zone.trim() !== zone) return false;
  let ok = validity.get(zone);
  if (ok === undefined) {
    ok = IANAZone.isValidZone(zone);
    if (validity.size < 10_000) validity.set(zone, ok);
  }
  return ok;
}

/** Whether two valid zone names name the same zone (`utc` and `UTC`, `EST` and its link target). */
export function sameTimezone(a: string, b: string): boolean {
  return canonical(a) === canonical(b);
}

function canonical(zone: string): string {
  let name = canonicalNames.get(zone);
  if (name === undefined) {
    name = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
    if (canonicalNames.size < 10_000) canonicalNames.set(zone, name);
  }
  return name;
}

/**
 * Minutes east of UTC for zones that are fixed by definition (UTC and its aliases, Etc/GMT±N),
 * else null. croner computes about twice as fast with a plain offset than through Intl.
 */
export function fixedOffsetMinutes(zone: string): number | null {
  const name = canonical(zone);
  if (/^(Etc\/)?(UTC|UCT|GMT|GMT[+-]?0|Universal|Zulu|Greenwich)$/i.test(name)) return 0;
  const etc = /^Etc\/GMT([+-])(\d{1,2})$/.exec(name);
  // POSIX-style names: Etc/GMT+5 is five hours *behind* UTC.
  return etc ? (etc[1] === '+' ? -1 : 1) * Number(etc[2]) * 60 : null;
}
