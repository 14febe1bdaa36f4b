// Passwords and tokens are kept only as salted scrypt hashes (node:crypto, no extra package),
// encoded as `scrypt$N$r$p$<salt base64>$<hash base64>` so the cost can be raised later
// without breaking stored hashes. Comparison is constant-time.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const PREFIX = 'scrypt';
/** Node's defaults (about 16 MiB and some tens of ms per hash): costly to brute-force offline. */
const COST = { N: 16_384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
// Hashes from a config file are input: refuse costs that would exhaust memory or CPU.
const MAX_N = 1 << 20;

function derive(
  secret: string,
  salt: Buffer,
  opts: ScryptOptions,
  length: number,
): Promise<Buffer> {
  const maxmem = 128 * (opts.N ?? COST.N) * (opts.r ?? COST.r) * 2 + 1024 * 1024;
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, length, { ...opts, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

interface Parsed {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

function parse(encoded: string): Parsed | null {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== PREFIX) return null;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const salt = Buffer.from(parts[4]!, 'base64');
  const hash = Buffer.from(parts[5]!, 'base64');
  const powerOfTwo = Number.isInteger(N) && N > 1 && (N & (N - 1)) === 0;
  if (!powerOfTwo || N > MAX_N || !(r >= 1 && r <= 32) || !(p >= 1 && p <= 16)) return null;
  if (salt.length < 8 || hash.length < 16 || hash.length > 64) return null;
  return { N, r, p, salt, hash };
}

/** True when the text is a hash this module can verify (config validation uses it). */
export function isSecretHash(encoded: string): boolean {
  return parse(encoded) !== null;
}

/** A fresh salted hash of the secret, e.g. for `passwordHash` in the config file. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const hash = await derive(secret, salt, COST, KEY_LENGTH);
  return [PREFIX, COST.N, COST.r, COST.p, salt.toString('base64'), hash.toString('base64')].join(
    '$',
  );
}

/** Whether the secret matches the encoded hash; false (never a throw) for a malformed hash. */
export async function verifySecret(secret: string, encoded: string): Promise<boolean> {
  const parsed = parse(encoded);
  if (!parsed) return false;
  const { N, r, p, salt, hash } = parsed;
  const candidate = await derive(secret, salt, { N, r, p }, hash.length);
  return timingSafeEqual(candidate, hash);
}
