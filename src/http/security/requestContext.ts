// Per-request values the HTML renderer needs but cannot be handed through every presenter
// (renderPage has no ctx): the CSRF token of the request being answered.
import { AsyncLocalStorage } from 'node:async_hooks';

interface RequestValues {
  csrfToken?: string;
}

const storage = new AsyncLocalStorage<RequestValues>();

export function runWithCsrfToken<T>(token: string | undefined, fn: () => Promise<T>): Promise<T> {
  return storage.run({ csrfToken: token }, fn);
}

/** The CSRF token forms rendered for the current request must carry, if any. */
export function currentCsrfToken(): string | undefined {
  return storage.getStore()?.csrfToken;
}
