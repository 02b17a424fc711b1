/** Finding the generated project a command runs in. */
import { existsSync } from 'node:fs';
import { dirname, resolve, join } from 'node:path';

export class ProjectError extends Error {
  override readonly name = 'ProjectError';
}

export const APP_ENTRY = 'src/app.ts';

/** The project root: `--cwd <dir>` or the current directory; it must hold `src/app.ts`. */
export function resolveProjectRoot(cwd: string = process.cwd()): string {
  const root = resolve(cwd);
  if (!existsSync(root)) throw new ProjectError(`${root}: no such directory (check --cwd)`);
  if (!existsSync(join(root, APP_ENTRY))) {
    throw new ProjectError(
      `${root} has no ${APP_ENTRY}. Run this command inside a project made by create-chatkit-backend, or pass --cwd <project dir>.`,
    );
  }
  return root;
}

/**
 * The project `start` is in: `start` itself or the nearest directory above it
 * that holds `src/app.ts`, so commands work from `src/` or `test/` too. The
 * walk stops at a `package.json` (another package's root). Null when none.
 */
export function findProjectRoot(start: string): string | null {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, APP_ENTRY))) return dir;
    const parent = dirname(dir);
    if (parent === dir || existsSync(join(dir, 'package.json'))) return null;
    dir = parent;
  }
}

/** `findProjectRoot`, or the error `resolveProjectRoot` gives for `start` (missing directory, no project). */
export function locateProjectRoot(start: string = process.cwd()): string {
  return findProjectRoot(start) ?? resolveProjectRoot(start);
}
