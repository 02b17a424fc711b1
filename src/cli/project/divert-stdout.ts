/**
 * For `--json` runs: whatever the project's code prints while it runs in our
 * process (console.log, process.stdout.write) goes to stderr, so stdout holds
 * exactly one JSON document. Returns the original stdout writer, for the
 * document itself, and a restore function.
 */
export interface DivertedStdout {
  /** Writes to the real stdout. */
  write(text: string): void;
  restore(): void;
}

export function divertStdoutToStderr(): DivertedStdout {
  const original = process.stdout.write;
  // console.log writes through process.stdout.write, so this covers it too.
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) =>
    (process.stderr.write as (...args: unknown[]) => boolean)(chunk, ...rest)) as typeof process.stdout.write;
  return {
    write: (text) => void original.call(process.stdout, text),
    restore: () => {
      process.stdout.write = original;
    },
  };
}
