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

const PLAIN_VERSION = /^\d+\.\d+\.\d+$/;

/**
 * The version of `packageManager` that ran us, read from the user agent when
 * that is the one (`pnpm create …` sets `pnpm/12.23.0 npm/? node/v22…`);
 * undefined otherwise.
 */
export function packageManagerVersionFromAgent(env: NodeJS.ProcessEnv, packageManager: PackageManager): string | undefined {
  const [name, version] = (env.npm_config_user_agent ?? '').split(' ')[0]?.split('/') ?? [];
  return name === packageManager && version !== undefined && PLAIN_VERSION.test(version) ? version : undefined;
}

/** `9.15.0\n` as printed by `pnpm --version`; undefined for anything else. */
export function parseVersionOutput(output: string): string | undefined {
  const version = output.trim();
  return PLAIN_VERSION.test(version) ? version : undefined;
}

/**
 * pnpm and yarn are set up in CI at the version that made the lockfile
 * (bun by its own action, npm comes with Node): pnpm by its action, yarn by
 * corepack through package.json's `packageManager`. Without a pin, corepack
 * falls back to its own default, Yarn 1 for yarn, which rewrites a Yarn 4
 * lockfile instead of installing from it. (pnpm 12 takes a `packageManager`
 * field as a dependency of its own to lock, so pnpm is pinned in the
 * workflow instead.)
 */
export function pinnedInCI(packageManager: PackageManager): boolean {
  return packageManager === 'pnpm' || packageManager === 'yarn';
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
 * A script run with the package manager's own lines left out of stdout, for
 * output that goes to a file (`doctor --json > report.json`): npm and pnpm
 * print a banner unless silenced, bun the command; Yarn 2+ prints nothing
 * of its own (and has no such flag).
 */
export function quietRunScript(packageManager: PackageManager, script: string): string {
  if (packageManager === 'npm') return `npm run -s ${script}`;
  if (packageManager === 'pnpm') return `pnpm --silent run ${script}`;
  if (packageManager === 'bun') return `bun run --silent ${script}`;
  return runScript(packageManager, script);
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

/**
 * The install a CI job runs: from the lockfile, failing when it is missing or
 * out of date. pnpm and Yarn 2+ already install that way when CI is set.
 */
export function ciInstallCommand(packageManager: PackageManager): string {
  if (packageManager === 'npm') return 'npm ci';
  if (packageManager === 'bun') return 'bun install --frozen-lockfile';
  return installCommand(packageManager);
}
