// Request timeouts for the daemon's HTTP server: headers and the whole request must arrive in
// time (slowloris), answered 408 by Node itself. Node checks them every
// connectionsCheckingInterval, so that interval follows the shorter timeout.
import type { ServerOptions } from 'node:http';
import type { HttpConfig } from '../../config/config.js';

export function serverOptions(
  http: Pick<HttpConfig, 'requestTimeoutMs' | 'headersTimeoutMs'>,
): ServerOptions {
  return {
    requestTimeout: http.requestTimeoutMs,
    headersTimeout: http.headersTimeoutMs,
    connectionsCheckingInterval: Math.max(
      50,
      Math.min(30_000, Math.floor(http.headersTimeoutMs / 4)),
    ),
    requireHostHeader: true,
  };
}
