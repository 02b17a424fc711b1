/** Reading project files for the static checks: bounded, skipping dependencies. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const SKIP_DIRS = new Set(['node_modules', '.git', '.data', 'coverage', '.turbo', '.cache']);
const MAX_FILE_BYTES = 2 * 1024 * 1024;
const MAX_FILES = 5_000;

export interface ProjectFile {
  /** Path relative to the project root, with forward slashes. */
  path: string;
  text: string;
}

/** Text files under `dir` (relative to `root`) whose names match `pattern`. */
export function readFiles(root: string, dir: string, pattern: RegExp): ProjectFile[] {
  const start = join(root, dir);
  if (!existsSync(start)) return [];
  const out: ProjectFile[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      if (out.length >= MAX_FILES) return;
      const full = join(current, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) walk(full);
      } else if (entry.isFile() && pattern.test(entry.name) && statSync(full).size <= MAX_FILE_BYTES) {
        out.push({ path: relative(root, full).split('\\').join('/'), text: readFileSync(full, 'utf8') });
      }
    }
  };
  walk(start);
  return out;
}

export const SOURCE_FILE = /\.(m|c)?(t|j)sx?$|\.(vue|svelte|astro|html)$/;

/** The frontend's own source files: a built bundle under frontend/dist or build/ is not what the user wrote. */
export function readFrontendSources(root: string): ProjectFile[] {
  return readFiles(root, 'frontend', SOURCE_FILE).filter((file) => !/(^|\/)(dist|build)\//.test(file.path));
}

/** 1-based line number of a character offset. */
export function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
