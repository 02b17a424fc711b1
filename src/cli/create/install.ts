/**
 * Installs the generated project's dependencies. The project is complete
 * without node_modules, so a failure keeps the files; the caller prints the
 * command that finishes the job.
 */
import type { PackageManager } from './choices.js';
import { describeExit, runCommand } from './run-command.js';

export type StepResult = { ok: true } | { ok: false; reason: string };

export async function installDependencies(dir: string, packageManager: PackageManager): Promise<StepResult> {
  const args = packageManager === 'npm' ? ['install', '--no-audit', '--no-fund'] : ['install'];
  try {
    // Output is shown: an install that waits on the network or on pnpm's
    // build-script approval must not look like a hang.
    const result = await runCommand(packageManager, args, { cwd: dir, stdio: 'inherit' });
    return result.exitCode === 0 ? { ok: true } : { ok: false, reason: `${packageManager} ${args[0]} failed with ${describeExit(result)}` };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, reason: code === 'ENOENT' ? `${packageManager} was not found on PATH` : (error as Error).message };
  }
}
