/**
 * Executes a file plan. If anything fails part-way, what we created is
 * removed again: a new directory entirely, or the files we added to an
 * existing one. Files that `--overwrite` removed are gone by then; that is
 * why it needs an explicit flag or a confirmed answer.
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathExists } from './path-exists.js';
import type { FilePlan } from './plan.js';

/** Keeps version control history when emptying a directory. */
const KEPT_WHEN_EMPTYING = new Set(['.git']);

async function emptyDirectory(dir: string): Promise<void> {
  for (const entry of await readdir(dir)) {
    if (!KEPT_WHEN_EMPTYING.has(entry)) await rm(join(dir, entry), { recursive: true, force: true });
  }
}

export async function writePlan(plan: FilePlan): Promise<void> {
  const dirExisted = await pathExists(plan.targetDir);
  const written: string[] = [];
  try {
    if (dirExisted && plan.emptyFirst) await emptyDirectory(plan.targetDir);
    await mkdir(plan.targetDir, { recursive: true });
    for (const file of plan.files) {
      const absolute = join(plan.targetDir, ...file.path.split('/'));
      await mkdir(dirname(absolute), { recursive: true });
      // `wx`: never silently replace a file that appeared since we checked.
      await writeFile(absolute, file.contents, { flag: 'wx' });
      written.push(absolute);
    }
  } catch (error) {
    await rollback(plan.targetDir, dirExisted, written);
    throw error;
  }
}

/** Undoes a partial write. */
async function rollback(targetDir: string, dirExisted: boolean, written: string[]): Promise<void> {
  if (!dirExisted) {
    await rm(targetDir, { recursive: true, force: true });
    return;
  }
  for (const file of written.reverse()) await rm(file, { force: true });
}
