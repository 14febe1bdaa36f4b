// IANA zone checks. Luxon asks Intl, so "valid" means "this Node's ICU knows the zone".
import { IANAZone } from 'luxon';

/** True for a zone name Intl accepts (e.g. `Europe/Paris`, `UTC`); false for offsets, blanks, padding. */
export function isValidTimezone(zone: string): boolean {
  return (
    typeof zone === 'string' && zone !== '' && zone.trim() === zone && IANAZone.isValidZone(zone)
  );
}

/** Whether two valid zone names name the same zone (`utc` and `UTC`, `EST` and its link target). */
export function sameTimezone(a: string, b: string): boolean {
  return canonical(a) === canonical(b);
}

function canonical(zone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
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
