/**
 * Is the target directory safe to write into? Entries that editors, VCS and
 * licences leave behind do not count as "not empty".
 */
import { readdir } from 'node:fs/promises';

const IGNORABLE = new Set(['.git', '.DS_Store', 'Thumbs.db', '.idea', '.vscode', 'LICENSE', 'LICENSE.md', '.gitkeep']);

/** Entries that would make us refuse the directory; empty when it is missing or empty. */
export async function conflictingEntries(dir: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return ['(a file, not a directory)'];
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
