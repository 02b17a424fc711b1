/**
 * Where the scaffolder's messages go. It writes through this sink instead of
 * `process.stdout`, so tests can capture what a user would see.
 */
import type { ChalkInstance } from 'chalk';
import { colorsFor } from './colors.js';

export interface Output {
  /** Normal progress and results (stdout). */
  info(line: string): void;
  /** Problems and hints (stderr), so stdout can stay machine-readable. */
  error(line: string): void;
  readonly color: ChalkInstance;
}

export function terminalOutput(
  stdout: NodeJS.WriteStream = process.stdout,
  stderr: NodeJS.WriteStream = process.stderr,
  env: NodeJS.ProcessEnv = process.env,
): Output {
  return {
    info: (line) => void stdout.write(`${line}\n`),
    error: (line) => void stderr.write(`${line}\n`),
    color: colorsFor(stdout, env),
  };
}

/** Collects lines in memory, without colour: what tests read. */
export function memoryOutput(): Output & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return {
    lines,
    errors,
    info: (line) => void lines.push(line),
    error: (line) => void errors.push(line),
    color: colorsFor({ isTTY: false }, {}),
  };
}
