// Errors the HTTP layer raises itself (bad format, malformed body, wrong method...).
// Domain errors (TaskrError, ValidationError) keep their own classes; the error
// middleware renders all of them in the negotiated format.

export class HttpError extends Error {
  readonly status: number;
  /** Extra response headers (e.g. Allow on a 405). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.headers = Object.freeze({ ...headers });
  }
}

export function badRequest(message: string): HttpError {
  return new HttpError(400, message);
}

export function notFound(message: string): HttpError {
  return new HttpError(404, message);
}
