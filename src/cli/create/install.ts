/**
 * Installs the generated project's dependencies. Failure is not fatal: the
 * project is complete without node_modules, so we print the command to run.
 */
import type { PackageManager } from './choices.js';

export type StepResult = { ok: true } | { ok: false; reason: string };

export async function installDependencies(dir: string, packageManager: PackageManager): Promise<StepResult> {
  const { execa } = await import('execa');
  const args = packageManager === 'npm' ? ['install', '--no-audit', '--no-fund'] : ['install'];
  try {
    // Output is shown: an install that waits on the network or on pnpm's
    // build-script approval must not look like a hang.
    await execa(packageManager, args, { cwd: dir, stdio: 'inherit' });
    return { ok: true };
  } catch (error) {
    const failure = error as { code?: string; shortMessage?: string; message: string };
    return {
      ok: false,
      reason: failure.code === 'ENOENT' ? `${packageManager} was not found on PATH` : (failure.shortMessage ?? failure.message),
    };
  }
}
