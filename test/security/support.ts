// Shared by the security tests: a fixture with real users and tokens (hashed at start, as the
// daemon does) and helpers to send their credentials.
import type { ConfigInput } from '../../src/config/config.js';
import { appFixture, type AppFixture } from '../helpers/app.js';

export const ADMIN = { username: 'admin', password: 'admin-password-1' };
export const VIEWER = { username: 'viewer', password: 'viewer-password-1' };
export const ADMIN_TOKEN = 'admin-token-0123456789abcdef';
export const VIEWER_TOKEN = 'viewer-token-0123456789abcdef';

export function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

export const CREDENTIALS = {
  none: null,
  'bad password': basic(ADMIN.username, 'wrong-password'),
  'unknown user': basic('mallory', ADMIN.password),
  'bad token': `Bearer ${'x'.repeat(28)}`,
  viewer: basic(VIEWER.username, VIEWER.password),
  'viewer token': `Bearer ${VIEWER_TOKEN}`,
  admin: basic(ADMIN.username, ADMIN.password),
  'admin token': `Bearer ${ADMIN_TOKEN}`,
} as const;

export type CredentialKind = keyof typeof CREDENTIALS;

/** An app as the daemon runs it, with one admin and one viewer user and a token for each. */
export function secureFixture(config: ConfigInput = {}): Promise<AppFixture> {
  return appFixture({
    secure: true,
    config: {
      ...config,
      auth: {
        username: ADMIN.username,
        password: ADMIN.password,
        apiToken: ADMIN_TOKEN,
        users: [{ ...VIEWER, role: 'viewer' }],
        tokens: [{ name: 'dashboard-reader', token: VIEWER_TOKEN, role: 'viewer' }],
        ...config.auth,
      },
    },
  });
}

export const TASK_JSON = {
  name: 'from-api',
  schedule_method: 'every',
  schedule_when: '1h',
  action: { action_class_name: 'Log', message: 'hi' },
};
