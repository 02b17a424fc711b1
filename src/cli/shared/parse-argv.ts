/**
 * Parses a command's argv with a commander program that has `exitOverride()`
 * on. Commander signals help, version and usage errors by throwing; this
 * turns those into the exit code to return (0 for help/version, 2 for bad
 * usage) and lets every other error through.
 */
import { CommanderError, type Command } from 'commander';
import { EXIT } from './exit-error.js';

/** @returns `undefined` when parsing succeeded, else the exit code to return. */
export function parseArgv(program: Command, argv: string[]): number | undefined {
  try {
    program.parse(argv, { from: 'user' });
    return undefined;
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
}
