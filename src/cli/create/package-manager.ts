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
 * pnpm's own commands: `pnpm <name>` runs these, not a script of that name
 * (`pnpm doctor` checks pnpm's own set-up). Scripts and pnpm commands
 * that share a name need `pnpm run`.
 */
const PNPM_COMMANDS: ReadonlySet<string> = new Set([
  'add', 'audit', 'bin', 'cache', 'config', 'create', 'dedupe', 'deploy', 'dlx', 'doctor', 'env', 'exec', 'fetch',
  'import', 'init', 'install', 'licenses', 'link', 'list', 'outdated', 'pack', 'patch', 'prune', 'publish', 'rebuild',
  'remove', 'root', 'server', 'setup', 'store', 'unlink', 'update', 'why',
]);

/**
 * `npm run dev` vs `pnpm dev`: the command a user types to run a script.
 * bun keeps `run`: `bun test` is bun's own test runner, not the `test` script.
 */
export function runScript(packageManager: PackageManager, script: string): string {
  const needsRun = packageManager === 'npm' || packageManager === 'bun' || (packageManager === 'pnpm' && PNPM_COMMANDS.has(script));
  return needsRun ? `${packageManager} run ${script}` : `${packageManager} ${script}`;
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
