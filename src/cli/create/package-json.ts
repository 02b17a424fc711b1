/**
 * The generated project's package.json, built in code so that every
 * dependency version comes from the CLI's own package.json (one place to
 * update, tracked by Renovate there), never from a template.
 */
import { hasWidgetTools } from './choices.js';
import type { OwnPackageJson } from '../shared/own-package.js';
import type { Settings } from './settings.js';

export class MissingVersionError extends Error {
  override name = 'MissingVersionError';
}

function versionOf(own: OwnPackageJson, name: string): string {
  const version = own.dependencies[name] ?? own.devDependencies[name];
  if (version === undefined) {
    throw new MissingVersionError(`${name} is not a dependency of ${own.name}'s package.json; add it there to use it in templates`);
  }
  return version;
}

function pick(own: OwnPackageJson, names: string[]): Record<string, string> {
  return Object.fromEntries(names.sort().map((name) => [name, versionOf(own, name)]));
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

export function generatedPackageJson(settings: Settings, own: OwnPackageJson): Record<string, unknown> {
  const agents = settings.template === 'basic' ? [] : ['@openai/agents'];
  const tools = hasWidgetTools(settings.template) ? ['zod'] : [];
  // The tests sign tokens for the JWT-protected endpoint.
  const auth = settings.auth === 'jwt' ? ['jose'] : [];
  return {
    name: settings.packageName,
    version: '0.1.0',
    private: true,
    type: 'module',
    engines: { node: own.engines?.node ?? '>=22.12' },
    scripts: PROJECT_SCRIPTS,
    dependencies: {
      [own.name]: settings.runtimeSpec,
      ...pick(own, ['fastify', ...agents, ...tools]),
    },
    devDependencies: pick(own, ['@openai/chatkit', '@types/node', 'typescript', 'vitest', ...auth]),
    // Which CLI made this project: `doctor` and future upgrades read it.
    createChatkitBackend: {
      version: own.version,
      template: settings.template,
      provider: settings.provider,
      store: settings.store,
      auth: settings.auth,
      frontend: settings.frontend,
    },
  };
}
