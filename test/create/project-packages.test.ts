/**
 * ENTRY_LIBRARIES (which libraries each public entry point loads) against the real
 * import graph of src/runtime and src/http, followed from package.json's
 * exports. A new import in the runtime fails here until the table, and so
 * every generated package.json, lists it.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { ENTRY_LIBRARIES, PROJECT_PACKAGES } from '../../src/cli/create/project-packages.js';
import { importedSpecifiers, packageOf } from '../../src/cli/create/project-imports.js';
import { ownPackageJson } from '../../src/cli/shared/own-package.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const exportsMap = (JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { exports: Record<string, { default: string } | string> }).exports;

/** Packages a module loads, transitively through its relative imports. */
function packagesLoadedBy(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    // Relative value imports; `import type` is erased, everything else is kept (verbatimModuleSyntax).
    for (const match of source.matchAll(/^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?'(\.[^']+)'/gm)) {
      if (!match[1]) stack.push(resolve(dirname(file), match[2]).replace(/\.js$/, '.ts'));
    }
    // Worker threads started from a sibling file (`new URL('./worker.js', import.meta.url)`) load modules too.
    for (const match of source.matchAll(/new URL\('(\.\/[^'$`]+)\.js', import\.meta\.url\)/g)) {
      stack.push(resolve(dirname(file), `${match[1]}.ts`));
    }
    // A package loaded through `createRequire(import.meta.url)('name')` (a CommonJS native driver).
    for (const match of source.matchAll(/createRequire\(import\.meta\.url\)\('([^']+)'\)/g)) packages.add(packageOf(match[1])!);
    for (const specifier of importedSpecifiers([source]).values) packages.add(packageOf(specifier)!);
  }
  return packages;
}

it('lists, for every entry point, the libraries its modules load, each with a version in our devDependencies', () => {
  const versions = ownPackageJson().devDependencies ?? {};
  for (const [subpath, target] of Object.entries(exportsMap)) {
    if (subpath === '.' || subpath === './package.json') continue;
    const dist = typeof target === 'string' ? target : target.default;
    const source = resolve(root, dist.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts'));
    const loaded = [...packagesLoadedBy(source)].sort();
    expect(loaded, subpath).toEqual([...(ENTRY_LIBRARIES[subpath.slice(2)] ?? ['(missing from ENTRY_LIBRARIES)'])].sort());
    for (const name of loaded) {
      expect(versions[name], `${subpath} loads ${name}`).toBeDefined();
      expect(PROJECT_PACKAGES, `${subpath} loads ${name}`).toContain(name);
    }
  }
});
