/**
 * When a command is run from inside a project's subdirectory (`src/`, `test/`),
 * makes the project root the working directory: a project's relative paths
 * (`CHATKIT_SCRIPT=scripts/demo.json`, `.data/chatkit.db`) mean its root, as
 * they do under `npm run`. Nothing changes when the process is elsewhere (a
 * test runner passing `--cwd`), so an in-process caller's directory is left alone.
 */
import { sep } from 'node:path';

export function enterProjectRoot(root: string): void {
  const here = process.cwd();
  if (!here.startsWith(root + sep)) return;
  try {
    process.chdir(root);
  } catch {
    // Worker threads cannot chdir; relative paths then stay relative to the subdirectory.
  }
}
