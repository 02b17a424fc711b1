/**
 * The CLI's own package.json: its version, and the dependency versions that
 * generated projects use (read at run time: one source of truth).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface OwnPackageJson {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  engines?: { node?: string };
}

export const OWN_PACKAGE_NAME = 'create-chatkit-backend';

/**
 * The package's root directory. Found by walking up rather than by a fixed
 * `../..`: this code runs from src/cli/shared (tests), from the bundle in
 * dist/cli, and from a chunk of it, at different depths.
 */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === OWN_PACKAGE_NAME) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`${OWN_PACKAGE_NAME}: no package.json named ${OWN_PACKAGE_NAME} above ${from}; the installation is incomplete`);
    dir = parent;
  }
}

let cached: OwnPackageJson | undefined;

export function ownPackageJson(): OwnPackageJson {
  cached ??= JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as OwnPackageJson;
  return cached;
}
