/**
 * The CLI's own package.json: its version, and the dependency versions that
 * generated projects use (read at run time: one source of truth).
 */
import { readFileSync } from 'node:fs';

export interface OwnPackageJson {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  engines?: { node?: string };
}

let cached: OwnPackageJson | undefined;

export function ownPackageJson(): OwnPackageJson {
  // src/cli/shared/ and dist/cli/shared/ are both three levels below the package root.
  cached ??= JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as OwnPackageJson;
  return cached;
}
