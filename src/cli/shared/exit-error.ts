/**
 * Thrown inside a command to stop with a specific exit code and a message for
 * the user. Only the entry point turns it into a return value; commands never
 * call `process.exit` themselves.
 */
export class ExitError extends Error {
  override name = 'ExitError';
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** Exit codes shared by every command. */
export const EXIT = {
  ok: 0,
  failure: 1,
  /** Bad usage: unknown option, invalid value, missing value in non-interactive mode. */
  usage: 2,
  /** Ctrl-C (128 + SIGINT), as shells report it. */
  cancelled: 130,
} as const;
