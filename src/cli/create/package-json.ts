/**
 * The generated project's package.json, built in code so that every
 * dependency version comes from the CLI's own package.json (one place to
 * update, tracked by Renovate there), never from a template.
 *
 * The dependency lists follow from what the generated files import:
 * `dependencies` are the packages `src/` loads at run time (our entry
 * points expanded to the libraries they load: this project's store driver and
 * nothing else), `devDependencies` what only the tests, the type-checker and
 * the dev tools need. `npm ci --omit=dev` then installs what the server runs.
 */
import type { OwnPackageJson } from '../shared/own-package.js';
import { PROJECT_NODE_RANGE } from '../shared/node-version.js';
import { ENTRY_LIBRARIES, PROJECT_TOOLS } from './project-packages.js';
import { importedSpecifiers, packageOf } from './project-imports.js';
import type { Settings } from './settings.js';

export class MissingVersionError extends Error {
  override name = 'MissingVersionError';
}

function versionOf(own: OwnPackageJson, name: string): string {
  const version = own.devDependencies?.[name] ?? own.dependencies?.[name];
  if (version === undefined) {
    throw new MissingVersionError(`${name} is not a dependency of ${own.name}'s package.json; add it there to use it in templates`);
  }
  return version;
}

/**
 * Sorted as npm writes them, so a later `npm install x` leaves a small diff. Code-point order:
 * localeCompare would load ICU's collator, a tenth of a second of a scaffold.
 */
function sortedByName(entries: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(entries).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function pick(own: OwnPackageJson, names: Iterable<string>): Record<string, string> {
  return sortedByName(Object.fromEntries([...new Set(names)].map((name) => [name, versionOf(own, name)])));
}

/** Bare specifiers → the packages to install: our own entry points become the libraries they load. */
function packagesFor(specifiers: Iterable<string>, ownName: string): string[] {
  return [...specifiers].flatMap((specifier) => {
    const name = packageOf(specifier);
    if (name === undefined) return [];
    if (name !== ownName) return [name];
    const entry = specifier.slice(ownName.length + 1) || 'runtime';
    const libraries = ENTRY_LIBRARIES[entry];
    if (libraries === undefined) throw new MissingVersionError(`${specifier} is not an entry point of ${ownName} (see src/cli/create/project-packages.ts)`);
    return libraries;
  });
}

/** The generated project's scripts; templates refer to them as `{{run.<name>}}`. */
export const PROJECT_SCRIPTS = {
  dev: 'create-chatkit-backend dev',
  // .env as in `dev`; variables already set in the environment win (Node >= 22.9).
  start: 'node --env-file-if-exists=.env dist/server.js',
  build: 'tsc -p tsconfig.build.json',
  test: 'vitest run',
  typecheck: 'tsc --noEmit',
  doctor: 'create-chatkit-backend doctor',
  replay: 'create-chatkit-backend replay cassettes',
};

export type ProjectScript = keyof typeof PROJECT_SCRIPTS;

/** The part of a planned file this needs: where it goes and what it says. */
export interface ProjectSource {
  path: string;
  contents: Buffer;
}

const isTypeScript = (path: string) => /\.(ts|tsx|mts)$/.test(path);
/** Run by the server. frontend/ is a snippet for another app (it has its own package.json there). */
const isServerCode = (path: string) => path.startsWith('src/') && isTypeScript(path);
const isDevCode = (path: string) => (path.startsWith('test/') || !path.includes('/')) && isTypeScript(path);

export function generatedPackageJson(settings: Settings, own: OwnPackageJson, files: readonly ProjectSource[]): Record<string, unknown> {
  const text = (keep: (path: string) => boolean) => files.filter((file) => keep(file.path)).map((file) => file.contents.toString('utf8'));
  const server = importedSpecifiers(text(isServerCode));
  const dev = importedSpecifiers(text(isDevCode));
  const runtime = new Set(packagesFor(server.values, own.name));
  runtime.delete(own.name);
  // A type-only import of one of our entry points loads none of its libraries: it needs nothing more.
  const typeOnly = [...server.types, ...dev.types].filter((specifier) => packageOf(specifier) !== own.name);
  const devOnly = [...packagesFor([...typeOnly, ...dev.values], own.name), ...PROJECT_TOOLS].filter(
    (name) => name !== own.name && !runtime.has(name),
  );
  return {
    name: settings.packageName,
    version: '0.1.0',
    private: true,
    type: 'module',
    engines: { node: PROJECT_NODE_RANGE },
    // CI's corepack then brings the yarn that made the lockfile (see pinnedInCI).
    ...(settings.packageManagerVersion && settings.packageManager === 'yarn' ? { packageManager: `yarn@${settings.packageManagerVersion}` } : {}),
    scripts: PROJECT_SCRIPTS,
    dependencies: sortedByName({ [own.name]: settings.runtimeSpec, ...pick(own, runtime) }),
    devDependencies: pick(own, devOnly),
    // npm 11 runs only the install scripts a project approves, and warns about the rest on every
    // install; esbuild's (it comes with tsx) just checks its binary, as in this repository.
    allowScripts: { esbuild: true },
    // Which CLI made this project: `doctor` and future upgrades read it.
    createChatkitBackend: {
      version: own.version,
      template: settings.template,
      provider: settings.provider,
      store: settings.store,
      auth: settings.auth,
      attachments: settings.attachments,
      frontend: settings.frontend,
    },
  };
}
