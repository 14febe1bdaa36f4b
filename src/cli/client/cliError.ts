// Errors the CLI reports as one line and an exit code, never a stack trace.
// Exit codes: 1 = the request failed (the server refused it, or could not be reached);
// 2 = bad local input (flags, files, config), as for the daemon's own commands.

export const EXIT_REQUEST_FAILED = 1;
export const EXIT_BAD_INPUT = 2;

export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT_REQUEST_FAILED,
  ) {
    super(message);
  }
}
