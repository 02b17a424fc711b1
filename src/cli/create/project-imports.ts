/**
 * The packages a set of TypeScript sources imports, read from the import
 * statements. The generated package.json is derived from what the generated
 * code really imports, so it lists exactly what the project runs.
 */

export interface ImportedPackages {
  /** Loaded when the code runs. */
  values: Set<string>;
  /** Only `import type` / `export type`: needed by the type-checker, not at run time. */
  types: Set<string>;
}

// `import x from 'y'`, `import type { x } from 'y'`, `export { x } from 'y'`, `import 'y'`, `import('y')`.
const STATIC = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`; relative and `node:` specifiers → undefined. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Every bare specifier, as written (`create-chatkit-backend/fastify`), by whether values or only types are imported. */
export function importedSpecifiers(sources: readonly string[]): ImportedPackages {
  const values = new Set<string>();
  const types = new Set<string>();
  for (const source of sources) {
    for (const match of source.matchAll(STATIC)) {
      if (packageOf(match[3]) === undefined) continue;
      (match[2] ? types : values).add(match[3]);
    }
    for (const match of source.matchAll(DYNAMIC)) if (packageOf(match[1]) !== undefined) values.add(match[1]);
  }
  for (const specifier of values) types.delete(specifier);
  return { values, types };
}
