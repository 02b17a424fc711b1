/**
 * Which package manager the user ran us with, from `npm_config_user_agent`
 * (`pnpm/9.1.0 npm/? node/v22…`), so install and next-step commands match.
 */
import type { PackageManager } from './choices.js';

export function detectPackageManager(env: NodeJS.ProcessEnv): PackageManager {
  const agent = env.npm_config_user_agent ?? '';
  const name = agent.split(' ')[0]?.split('/')[0];
  if (name === 'pnpm' || name === 'yarn' || name === 'bun') return name;
  return 'npm';
}

/**
 * `npm run dev` vs `pnpm dev`: the command a user types to run a script.
 * bun keeps `run`: `bun test` is bun's own test runner, not the `test` script.
 */
export function runScript(packageManager: PackageManager, script: string): string {
  return packageManager === 'npm' || packageManager === 'bun' ? `${packageManager} run ${script}` : `${packageManager} ${script}`;
}

/**
 * What goes between a script and its arguments: npm needs `--`; pnpm, yarn
 * and bun pass it on verbatim, and the script would then read its options
 * as positional arguments.
 */
export function scriptArgsSeparator(packageManager: PackageManager): string {
  return packageManager === 'npm' ? ' --' : '';
}

export function installCommand(packageManager: PackageManager): string {
  return `${packageManager} install`;
}
