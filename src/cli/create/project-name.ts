/**
 * The generated package's name comes from the target directory's name and
 * must be a valid npm package name.
 */
import { basename } from 'node:path';
// A plain import (not createRequire): the bundler must see it to include the package.
import validate from 'validate-npm-package-name';

/** Problems with `name` as a new npm package name; empty when it is valid. */
export function packageNameProblems(name: string): string[] {
  const result = validate(name);
  return result.validForNewPackages ? [] : [...(result.errors ?? []), ...(result.warnings ?? [])];
}

/** A best-effort valid name: lowercase, dashes for anything npm rejects. */
export function toValidPackageName(name: string): string {
  const fixed = name
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '-')
    .replace(/^[._]+/, '')
    .replace(/[^a-z0-9~.\-@/]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  return fixed === '' ? 'chatkit-backend' : fixed;
}

export function packageNameFor(targetDir: string): string {
  return basename(targetDir);
}
