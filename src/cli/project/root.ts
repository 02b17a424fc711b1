/** Finding the generated project a command runs in. */
import { existsSync } from 'node:fs';
import { resolve, join } from 'node:path';

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
