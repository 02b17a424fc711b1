/**
 * Running the CLI from a clone of this repository (`npm run cli -- ../my-app`)
 * rather than from the published package. `^<version>` may not be on the
 * registry yet, so the generated project instead depends on this checkout's
 * own build, packed with `npm pack` into `.pack/` (git-ignored) under a name
 * that includes its content hash: every project keeps installing the exact
 * build it was made with, even after the checkout is rebuilt.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { describeExit, runCommand } from './run-command.js';

/** Where packed builds go, inside the checkout. */
export const PACK_DIR = '.pack';

/** A checkout has the sources and the build config; the published package has neither. */
function isSourceCheckout(root: string): boolean {
  return existsSync(join(root, 'src', 'cli', 'main.ts')) && existsSync(join(root, 'tsconfig.build.json'));
}

export class PackError extends Error {
  override name = 'PackError';
}

/** Packs the checkout's current build; returns the tarball's absolute path. */
export async function packCheckout(root: string, name: string, version: string): Promise<string> {
  if (!existsSync(join(root, 'dist', 'runtime', 'index.js'))) {
    throw new PackError(`this checkout has no build of the runtime (dist/runtime): run npm run build in ${root} first`);
  }
  const packDir = join(root, PACK_DIR);
  await mkdir(packDir, { recursive: true });
  const scratch = await mkdtemp(join(packDir, 'tmp-'));
  try {
    // --ignore-scripts: the prepack script would rebuild dist/, which is this very CLI, running; what is
    // packed is the build already there (checked above), the one the developer just made.
    const packed = await runCommand('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], { cwd: root }).catch((error: NodeJS.ErrnoException) => {
      throw new PackError(error.code === 'ENOENT' ? 'npm was not found on PATH' : error.message);
    });
    if (packed.exitCode !== 0) throw new PackError(`npm pack failed (${describeExit(packed)}): ${packed.stderr.trim().split('\n').pop()}`);
    const [{ filename }] = JSON.parse(packed.stdout) as { filename: string }[];
    const hash = createHash('sha256').update(await readFile(join(scratch, filename))).digest('hex').slice(0, 12);
    const tarball = join(packDir, `${name}-${version}-${hash}.tgz`);
    // The same build packs to the same bytes: an existing file with this name is identical.
    if (!existsSync(tarball)) await rename(join(scratch, filename), tarball);
    return tarball;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * The checkout to pack when `moduleFile` (the running CLI) is its build in
 * dist/; undefined for the published package, and for runs from src/ (the
 * tests), which never install.
 */
export function builtCheckoutRoot(moduleFile: string, root: string): string | undefined {
  return isSourceCheckout(root) && moduleFile.startsWith(join(root, 'dist') + sep) ? root : undefined;
}
