/**
 * Builds the playground (Vite) when dist/playground is missing or older than
 * its sources, once even when several test files ask at the same time (a
 * directory made with mkdir is the lock).
 */
import { execFile } from 'node:child_process';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

export const REPO = resolve(import.meta.dirname, '../../..');
const SOURCES = join(REPO, 'src/playground');
const BUILT = join(REPO, 'dist/playground/index.html');
const LOCK = join(REPO, 'dist/.playground-build-lock');

async function newestSource(): Promise<number> {
  const entries = await readdir(SOURCES, { recursive: true, withFileTypes: true });
  const times = await Promise.all(entries.filter((e) => e.isFile()).map(async (e) => (await stat(join(e.parentPath, e.name))).mtimeMs));
  return Math.max(...times);
}

async function isFresh(): Promise<boolean> {
  const built = await stat(BUILT).catch(() => undefined);
  return built !== undefined && built.mtimeMs >= (await newestSource());
}

export async function ensurePlaygroundBuilt(): Promise<void> {
  for (;;) {
    if (await isFresh()) return;
    await mkdir(join(REPO, 'dist'), { recursive: true });
    const locked = await mkdir(LOCK).then(() => true, () => false);
    if (!locked) {
      // Another test file is building it; a lock older than a minute is left over from a killed run.
      const age = Date.now() - ((await stat(LOCK).catch(() => undefined))?.mtimeMs ?? Date.now());
      if (age > 60_000) await rm(LOCK, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    try {
      if (!(await isFresh())) await promisify(execFile)(process.execPath, [join(REPO, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'src/playground/vite.config.ts'], { cwd: REPO });
    } finally {
      await rm(LOCK, { recursive: true, force: true });
    }
  }
}
