/**
 * Installs the generated project's dependencies. The project is complete
 * without node_modules, so a failure keeps the files; the caller prints the
 * command that finishes the job.
 */
import type { PackageManager } from './choices.js';
import { describeExit, runCommand } from './run-command.js';

export type StepResult = { ok: true } | { ok: false; reason: string };

/**
 * Yarn 2+ refuses to create a lockfile when it thinks it runs in CI (any of
 * the variables its CI detection reads: CI, GITHUB_ACTIONS, BUILD_NUMBER…);
 * a new project has none yet, so its first install must be allowed to.
 * (Yarn 1 ignores the variable.)
 */
const FIRST_INSTALL_ENV: Partial<Record<PackageManager, NodeJS.ProcessEnv>> = {
  yarn: { YARN_ENABLE_IMMUTABLE_INSTALLS: 'false' },
};

export async function installDependencies(dir: string, packageManager: PackageManager, env: NodeJS.ProcessEnv = process.env): Promise<StepResult> {
  const args = packageManager === 'npm' ? ['install', '--no-audit', '--no-fund'] : ['install'];
  try {
    // Output is shown: an install that waits on the network or on pnpm's
    // build-script approval must not look like a hang.
    const result = await runCommand(packageManager, args, { cwd: dir, stdio: 'inherit', env: { ...env, ...FIRST_INSTALL_ENV[packageManager] } });
    return result.exitCode === 0 ? { ok: true } : { ok: false, reason: `${packageManager} ${args[0]} failed with ${describeExit(result)}` };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, reason: code === 'ENOENT' ? `${packageManager} was not found on PATH` : (error as Error).message };
  }
}
