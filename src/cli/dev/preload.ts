/**
 * Warm standby for fast restarts: before it is needed, the next app process
 * imports the project's dependencies (every package `src/` imports, and
 * relative imports that leave the project's `src/`), so after a save only the
 * project's own files are loaded. Dependencies are imported from a generated
 * module inside the project so they resolve exactly as the project's imports
 * do (same URLs, hence the same module instances).
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

const IMPORT_SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g;

/** Which specifiers to preload: bare packages, and relative paths that point outside `src/`. Pure. */
export function preloadTargets(files: { path: string; text: string }[], srcDir: string): string[] {
  const targets = new Set<string>();
  for (const file of files) {
    for (const match of file.text.matchAll(IMPORT_SPECIFIER)) {
      const specifier = match[1];
      if (specifier.startsWith('node:')) continue;
      if (specifier.startsWith('.') || specifier.startsWith('/')) {
        const absolute = resolve(dirname(file.path), specifier);
        if (!absolute.startsWith(srcDir + sep)) targets.add(pathToFileURL(absolute).href);
      } else if (!/^[a-z]+:/i.test(specifier)) {
        targets.add(specifier);
      }
    }
  }
  // Type-only packages have no runtime module.
  return [...targets].filter((t) => !t.startsWith('@types/')).sort();
}

async function sourceFiles(dir: string): Promise<{ path: string; text: string }[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  const files = entries.filter((e) => e.isFile() && /\.(m|c)?[jt]sx?$/.test(e.name)).map((e) => join(e.parentPath, e.name));
  return Promise.all(files.map(async (path) => ({ path, text: await readFile(path, 'utf8') })));
}

/** Import the project's dependencies; failures are ignored (the real load reports them). */
export async function preloadDependencies(root: string): Promise<void> {
  const srcDir = join(root, 'src');
  const targets = preloadTargets(await sourceFiles(srcDir), srcDir);
  if (targets.length === 0) return;
  const dir = join(root, 'node_modules', '.cache', 'create-chatkit-backend');
  const file = join(dir, `dev-preload-${process.pid}.mjs`);
  await mkdir(dir, { recursive: true });
  await writeFile(file, `export default Promise.allSettled([\n${targets.map((t) => `  import(${JSON.stringify(t)}),`).join('\n')}\n]);\n`);
  const module = (await import(pathToFileURL(file).href)) as { default: Promise<unknown> };
  await module.default;
  await import('node:fs/promises').then((fs) => fs.rm(file, { force: true }));
}
