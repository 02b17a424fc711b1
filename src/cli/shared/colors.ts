/**
 * Colour for every command's terminal output. Off when the stream is not a
 * terminal, `NO_COLOR` is set (https://no-color.org) or `TERM=dumb`, so logs
 * piped into CI or a file stay free of escape codes; `FORCE_COLOR` turns it on.
 */
import { Chalk, type ChalkInstance } from 'chalk';

export interface ColorEnvironment {
  isTTY?: boolean;
  env?: NodeJS.ProcessEnv;
}

export function colorEnabled({ isTTY, env = process.env }: ColorEnvironment): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return isTTY === true && env.TERM !== 'dumb';
}

export function colorsFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): ChalkInstance {
  return new Chalk({ level: colorEnabled({ isTTY: stream.isTTY, env }) ? 1 : 0 });
}
