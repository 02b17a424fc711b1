/** Expanding `replay` arguments: files as given, directories to their `*.cassette.jsonl` files (recursively, sorted). */
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CASSETTE_EXTENSION } from '../cassette/format.js';

export interface CollectedPath {
  file: string;
  /** Set when the argument itself is unusable (missing path, empty directory). */
  error?: string;
}

export async function collectCassettes(paths: readonly string[], cwd: string): Promise<CollectedPath[]> {
  const out: CollectedPath[] = [];
  for (const path of paths) {
    const absolute = resolve(cwd, path);
    const info = await stat(absolute).catch(() => undefined);
    if (!info) {
      out.push({ file: path, error: `${path}: no such file or directory${paths.length === 1 && path === 'cassettes' ? ' (replay reads ./cassettes by default; pass cassette files or directories)' : ''}` });
    } else if (info.isDirectory()) {
      const files = await findCassettes(absolute);
      if (files.length === 0) out.push({ file: path, error: `${path}: no *${CASSETTE_EXTENSION} files in this directory` });
      else out.push(...files.map((file) => ({ file })));
    } else {
      out.push({ file: absolute });
    }
  }
  return out;
}

async function findCassettes(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(CASSETTE_EXTENSION))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}
