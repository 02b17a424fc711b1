/**
 * The package manager's version, asked of the program itself when the user
 * agent did not say (the user ran us with npx and chose pnpm or yarn), so
 * the project can pin it for CI's corepack.
 */
import type { PackageManager } from './choices.js';
import { parseVersionOutput } from './package-manager.js';
import { runCommand } from './run-command.js';

/** `<pm> --version`, or undefined when it is not installed or prints something else (the project is then not pinned). */
export async function askPackageManagerVersion(packageManager: PackageManager, cwd: string): Promise<string | undefined> {
  try {
    // A corepack shim may want to download first (it cannot ask: stdin is closed); a stuck one must not hold up the scaffold.
    const result = await runCommand(packageManager, ['--version'], { cwd, timeoutMs: 15_000 });
    return result.exitCode === 0 ? parseVersionOutput(result.stdout) : undefined;
  } catch {
    return undefined;
  }
}

