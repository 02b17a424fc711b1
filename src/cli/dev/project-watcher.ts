/**
 * What `dev` watches: `src/`, `scripts/` (the scripted model's script) and
 * `.env`, through chokidar. Editors and tools save in many ways (write in
 * place, write a temp file and rename it over the original, `sed -i`, delete
 * and recreate, `git checkout`); a plain `fs.watch` loses track of a file
 * once it has been renamed over, chokidar follows the path itself. Editors'
 * temp, swap and backup files are ignored: the save that follows them counts.
 */
import { relative, sep } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { isEditorTempFile } from './editor-temp-files.js';

/** Relative to the project root; `.env` is a file, the others directories. */
export const WATCHED_PATHS = ['src', 'scripts', '.env'] as const;

export interface ProjectWatcher {
  /** Resolves once the initial scan is done: saves after this are seen. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/** Calls `onChange` with the changed file's path relative to `root` (always with `/`). */
export function watchProject(root: string, onChange: (file: string) => void, onError: (error: Error) => void = () => {}): ProjectWatcher {
  const watcher: FSWatcher = watch(WATCHED_PATHS.map((path) => `${root}${sep}${path}`), {
    ignoreInitial: true,
    // A rename over the file (unlink then add, in one burst) is one change, not a deletion.
    atomic: true,
    ignored: (path) => isEditorTempFile(path) || path.includes(`${sep}node_modules${sep}`),
  });
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  const report = (path: string) => onChange(relative(root, path).split(sep).join('/'));
  watcher.on('add', report).on('change', report).on('unlink', report);
  watcher.on('error', (error) => onError(error instanceof Error ? error : new Error(String(error))));
  return { ready, close: () => watcher.close() };
}
