/**
 * Vitest global set-up: packs this package (which builds it) once per run,
 * before any test file starts. Tests that need the built package or its
 * tarball read it from here instead of building their own: two files that
 * each ran `npm run build` (which empties dist/) raced, and one packed a
 * half-written dist/.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, '../..');

declare module 'vitest' {
  export interface ProvidedContext {
    /** The `npm pack` tarball of this run's build. */
    packedTarball: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // `npm pack` builds first (the prepack script), as `npm publish` does: the tarball is what a release would ship.
  const dir = await mkdtemp(join(tmpdir(), 'chatkit-packed-'));
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: repo, maxBuffer: 64 * 1024 * 1024 });
  project.provide('packedTarball', join(dir, (JSON.parse(stdout) as { filename: string }[])[0]!.filename));
  return () => rm(dir, { recursive: true, force: true });
}
