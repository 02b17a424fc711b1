/**
 * Is the target directory safe to write into? Entries that editors, VCS and
 * licences leave behind do not count as "not empty".
 */
import { statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { dirname } from 'node:path';

const IGNORABLE = new Set(['.git', '.DS_Store', 'Thumbs.db', '.idea', '.vscode', 'LICENSE', 'LICENSE.md', '.gitkeep']);

/** Entries that would make us refuse the directory; empty when it is missing or empty. */
export async function conflictingEntries(dir: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries.filter((entry) => !IGNORABLE.has(entry)).sort();
}

/** Enough names to recognise the directory; the rest are counted so the message stays one line. */
const NAMED_CONFLICTS = 8;

export function describeConflicts(entries: string[]): string {
  const shown = entries.slice(0, NAMED_CONFLICTS).join(', ');
  return entries.length > NAMED_CONFLICTS ? `${shown} and ${entries.length - NAMED_CONFLICTS} more` : shown;
}

/**
 * When a file stands where the project directory (or one of its parents)
 * would go, the sentence that says so; undefined when the path is free or
 * a directory. Checked before anything else about the target, so neither
 * "is not empty" nor a raw ENOTDIR from --overwrite reaches the user.
 */
export function fileInTheWay(targetDir: string, displayDir: string): string | undefined {
  for (let path = targetDir; ; path = dirname(path)) {
    const found = statSync(path, { throwIfNoEntry: false });
    if (found !== undefined && !found.isDirectory()) {
      return path === targetDir
        ? `"${displayDir}" is a file, not a directory`
        : `"${displayDir}" cannot be created: ${path} is a file, not a directory`;
    }
    if (found !== undefined || dirname(path) === path) return undefined;
  }
}
