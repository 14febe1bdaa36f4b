// The daemon's users and API tokens, held only as scrypt hashes. Built once at start-up from
// the config (plaintexts are hashed and dropped) or, with nothing configured, from the
// generated admin password file. Verifying costs one scrypt; a successful check is then
// remembered under an HMAC of the credentials (a per-process key, never the plaintext) so an
// API client that sends Basic on every request does not pay it every time.
import { createHmac, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { AuthConfig, Role } from '../config/config.js';
import { TaskrError } from '../errors.js';
import { ensureAdminPassword } from './adminPassword.js';
import type { Principal } from './principal.js';
import { hashSecret, isSecretHash, verifySecret } from './secretHash.js';

interface Entry {
  name: string;
  hash: string;
  role: Role;
}

const CACHE_LIMIT = 512;

export interface CredentialNotice {
  level: 'info' | 'warn';
  message: string;
  file?: string;
}

export interface CredentialStoreOptions {
  auth: Readonly<AuthConfig>;
  dataDir: string;
  /** Told where a generated password is (never the password itself). */
  onNotice?: (notice: CredentialNotice) => void;
}

function checkedHash(hash: string, where: string): string {
  if (!isSecretHash(hash)) {
    throw new TaskrError('config.invalid', {
      detail: `${where}: not a valid scrypt hash (scrypt$N$r$p$salt$hash)`,
    });
  }
  return hash;
}

export class CredentialStore {
  private readonly users = new Map<string, Entry>();
  private readonly tokens: Entry[] = [];
  private readonly cacheKey = randomBytes(32);
  private readonly verified = new Map<string, Principal>();
  /** Compared against for unknown user names so timing does not reveal which names exist. */
  private dummyHash = '';

  private constructor() {}

  /** A store that accepts nothing (createApp's fail-closed default when given no credentials). */
  static none(): CredentialStore {
    return new CredentialStore();
  }

  static async fromConfig(opts: CredentialStoreOptions): Promise<CredentialStore> {
    const store = new CredentialStore();
    const { auth } = opts;
    if (auth.username !== null && auth.password === null) {
      throw new TaskrError('config.invalid', {
        detail: 'auth.username is set but auth.password (TASKR_PASSWORD) is not',
      });
    }
    // Hashed side by side (scrypt runs on libuv's pool): start-up waits for the slowest only.
    const hashOf = (plain: string | undefined, hash: string | undefined, where: string) =>
      hash !== undefined ? Promise.resolve(checkedHash(hash, where)) : hashSecret(plain!);
    const [dummy, admin, apiToken, users, tokens] = await Promise.all([
      hashSecret(randomBytes(16).toString('hex')),
      auth.password === null ? null : hashSecret(auth.password),
      auth.apiToken === null ? null : hashSecret(auth.apiToken),
      Promise.all(
        auth.users.map((u, i) =>
          hashOf(u.password, u.passwordHash, `auth.users.${i}.passwordHash`),
        ),
      ),
      Promise.all(
        auth.tokens.map((t, i) => hashOf(t.token, t.tokenHash, `auth.tokens.${i}.tokenHash`)),
      ),
    ]);
    store.dummyHash = dummy;
    if (admin !== null) store.addUser(auth.username ?? 'admin', admin, 'admin');
    if (apiToken !== null) store.tokens.push({ name: 'api-token', hash: apiToken, role: 'admin' });
    auth.users.forEach((u, i) => store.addUser(u.username, users[i]!, u.role));
    auth.tokens.forEach((t, i) =>
      store.tokens.push({ name: t.name, hash: tokens[i]!, role: t.role }),
    );
    if (store.users.size === 0 && store.tokens.length === 0) await store.addGenerated(opts);
    return store;
  }

  private addUser(name: string, hash: string, role: Role): void {
    if (this.users.has(name)) {
      throw new TaskrError('config.invalid', { detail: `auth: user '${name}' is defined twice` });
    }
    this.users.set(name, { name, hash, role });
  }

  private async addGenerated(opts: CredentialStoreOptions): Promise<void> {
    const file = opts.auth.passwordFile ?? join(opts.dataDir, 'admin-password');
    const generated = ensureAdminPassword(file);
    this.addUser('admin', await hashSecret(generated.password), 'admin');
    const what = generated.created
      ? 'generated an admin password'
      : 'using the generated admin password';
    opts.onNotice?.({
      level: 'warn',
      message: `auth: no credentials configured; ${what}: user 'admin', password in ${file} (set TASKR_PASSWORD or auth.users to choose your own)`,
      file,
    });
    if (generated.tightened) {
      opts.onNotice?.({
        level: 'warn',
        message: `auth: ${file} was readable by others; its mode is now 0600`,
        file,
      });
    }
  }

  /** The names of the configured users and tokens (for logs and docs; never secrets). */
  describe(): { users: string[]; tokens: string[] } {
    return { users: [...this.users.keys()], tokens: this.tokens.map((t) => t.name) };
  }

  private cacheId(kind: string, ...parts: string[]): string {
    return createHmac('sha256', this.cacheKey)
      .update([kind, ...parts].join('\0'))
      .digest('base64');
  }

  private remember(id: string, principal: Principal): Principal {
    if (this.verified.size >= CACHE_LIMIT) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(id, principal);
    return principal;
  }

  /** The user for these Basic credentials, or null. */
  async verifyBasic(username: string, password: string): Promise<Principal | null> {
    const id = this.cacheId('basic', username, password);
    const known = this.verified.get(id);
    if (known) return known;
    const user = this.users.get(username);
    const ok = await verifySecret(password, user?.hash ?? this.dummyHash);
    if (!user || !ok) return null;
    return this.remember(id, Object.freeze({ name: user.name, role: user.role, via: 'basic' }));
  }

  /** The token's holder, or null. Each configured token is tried (there are few). */
  async verifyToken(token: string): Promise<Principal | null> {
    const id = this.cacheId('bearer', token);
    const known = this.verified.get(id);
    if (known) return known;
    for (const t of this.tokens) {
      if (await verifySecret(token, t.hash)) {
        return this.remember(id, Object.freeze({ name: t.name, role: t.role, via: 'bearer' }));
      }
    }
    if (this.tokens.length === 0) await verifySecret(token, this.dummyHash);
    return null;
  }
}
