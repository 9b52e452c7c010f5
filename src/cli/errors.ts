// Exit codes that scripts can test, and the errors that carry them.

/** The process's exit codes; documented in `par-index --help`. */
export const EXIT = {
  ok: 0,
  /** the service failed (5xx), a download failed its check, or something unexpected */
  failure: 1,
  /** unknown command or option, a missing or bad argument, an input file that cannot be read */
  usage: 2,
  /** the service refused the request (4xx: validation, conflict, not found, too large …); nothing was written */
  refused: 3,
  /** no key, or the key may not do this (401, 403) */
  notAllowed: 4,
  /** the service could not be reached (connection refused, unknown host, timeout) */
  network: 5,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error that ends the command with its exit code; `lines` are printed on stderr. */
export class CliError extends Error {
  constructor(readonly code: ExitCode, readonly lines: string[]) {
    super(lines[0] ?? 'error');
  }
}

export const usageError = (message: string, hint?: string) =>
  new CliError(EXIT.usage, [`error: ${message}`, ...(hint ? [hint] : [])]);
