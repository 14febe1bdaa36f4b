// Finds the uid/gid/home of a named user for `as_user`: /etc/passwd first, then `id`
// (which also sees NSS users such as LDAP ones).
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

export interface UserInfo {
  name: string;
  uid: number;
  gid: number;
  home: string | null;
}

const USER_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*\$?$/;

async function fromPasswd(name: string, passwdFile: string): Promise<UserInfo | null> {
  let text: string;
  try {
    text = await readFile(passwdFile, 'utf8');
  } catch {
    return null;
  }
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length >= 7 && f[0] === name) {
      return { name, uid: Number(f[2]), gid: Number(f[3]), home: f[5] || null };
    }
  }
  return null;
}

async function fromId(name: string): Promise<UserInfo | null> {
  try {
    const uid = (await execFileP('id', ['-u', '--', name])).stdout.trim();
    const gid = (await execFileP('id', ['-g', '--', name])).stdout.trim();
    if (!/^\d+$/.test(uid) || !/^\d+$/.test(gid)) return null;
    return { name, uid: Number(uid), gid: Number(gid), home: null };
  } catch {
    return null;
  }
}

/** The user's ids, or null when no such user exists. Rejects names that are not user names. */
export async function lookupUser(
  name: string,
  passwdFile = '/etc/passwd',
): Promise<UserInfo | null> {
  if (!USER_NAME.test(name)) return null;
  return (await fromPasswd(name, passwdFile)) ?? (await fromId(name));
}
