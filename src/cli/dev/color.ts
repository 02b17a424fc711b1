/**
 * dev prints through chalk's shared instance (its log lines are built in
 * several modules); this applies the one colour rule every command follows
 * (src/cli/shared/colors.ts) to that instance.
 */
import chalk from 'chalk';
import { colorEnabled } from '../shared/colors.js';

export function respectNoColor(env: NodeJS.ProcessEnv = process.env, isTTY = process.stdout.isTTY): void {
  if (!colorEnabled({ isTTY, env })) chalk.level = 0;
}
