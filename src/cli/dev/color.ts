/**
 * chalk turns colour off when stdout is not a terminal, but does not read
 * NO_COLOR (https://no-color.org); doctor does, and dev should agree.
 */
import chalk from 'chalk';

export function respectNoColor(env: NodeJS.ProcessEnv = process.env): void {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '' && !env.FORCE_COLOR) chalk.level = 0;
}
