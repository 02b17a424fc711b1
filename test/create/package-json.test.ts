/**
 * The generated package.json lists what the project runs, from our own
 * package.json's versions: its store's driver and no other, nothing of the
 * scaffolder, dev tools only as devDependencies.
 */
import { describe, expect, it } from 'vitest';
import { AUTHS, FRONTENDS, STORES, TEMPLATES } from '../../src/cli/create/choices.js';
import { ALL_LAYERS } from '../../src/cli/create/layers.js';
import { planFiles } from '../../src/cli/create/plan.js';
import { readLayers } from '../../src/cli/create/template-files.js';
import { PROJECT_PACKAGES } from '../../src/cli/create/project-packages.js';
import { ownPackageJson, type OwnPackageJson } from '../../src/cli/shared/own-package.js';
import { settings } from './helpers.js';

const own = ownPackageJson();
const layers = await readLayers(ALL_LAYERS);

interface GeneratedPackage {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  engines: { node: string };
  scripts: Record<string, string>;
  createChatkitBackend: { version: string };
}

function packageJsonFor(overrides: Parameters<typeof settings>[0]): GeneratedPackage {
  const plan = planFiles(settings(overrides), layers, own);
  return JSON.parse(plan.files.find((file) => file.path === 'package.json')!.contents.toString('utf8')) as GeneratedPackage;
}

/** What every project's server loads: the plugin, the runtime, the provider factory. */
const ALWAYS = ['@openai/agents', 'create-chatkit-backend', 'fastify', 'jose', 'openai', 'zod'];
/** The SQLite store's worker loads the native `libsql` driver itself, beside the client. */
const DRIVER = { sqlite: ['@libsql/client', 'libsql'], postgres: ['pg'], memory: [] } as const;
/** Packages only the scaffolder or the dev tools use: never in a production install. */
const NEVER_AT_RUN_TIME = ['@clack/prompts', 'chalk', 'commander', 'execa', 'handlebars', 'validate-npm-package-name', 'npm-package-arg', 'tsx', 'typescript', 'vitest', 'esbuild'];

describe('the generated package.json', () => {
  it('depends on exactly what each configuration runs: its own store driver and nothing of the scaffolder', () => {
    for (const template of TEMPLATES) {
      for (const store of STORES) {
        for (const auth of AUTHS) {
          for (const frontend of FRONTENDS) {
            const pkg = packageJsonFor({ template, store, auth, frontend });
            // The widget templates import only types from /widgets: its template engine (nunjucks) is not loaded.
            const expected = [...ALWAYS, ...DRIVER[store]].sort();
            expect(Object.keys(pkg.dependencies).sort(), `${template}/${store}/${auth}/${frontend}`).toEqual(expected);
            for (const name of NEVER_AT_RUN_TIME) expect(pkg.dependencies[name], name).toBeUndefined();
          }
        }
      }
    }
  });

  it('puts the tools that dev, doctor, replay, the tests and tsc need into devDependencies', () => {
    for (const template of TEMPLATES) {
      const pkg = packageJsonFor({ template, auth: 'jwt' });
      expect(Object.keys(pkg.devDependencies).sort(), template).toEqual(['@openai/chatkit', '@types/node', 'tsx', 'typescript', 'vite', 'vitest']);
    }
  });

  it('takes every version from our own package.json and writes the runtime spec it was given', () => {
    const pkg = packageJsonFor({ template: 'tools', auth: 'jwt', runtimeSpec: 'file:../x.tgz' });
    expect(pkg.dependencies['create-chatkit-backend']).toBe('file:../x.tgz');
    for (const [name, version] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
      if (name === 'create-chatkit-backend') continue;
      expect(version, name).toBe(own.devDependencies?.[name]);
    }
    expect(pkg.createChatkitBackend.version).toBe(own.version);
    expect(pkg.engines.node).toBe('>=22.12');
    expect((pkg as unknown as { allowScripts: unknown }).allowScripts).toEqual({ esbuild: true });
    expect(pkg.scripts).toMatchObject({
      dev: 'create-chatkit-backend dev', start: 'node --env-file-if-exists=.env dist/server.js', test: 'vitest run', typecheck: 'tsc --noEmit',
      doctor: 'create-chatkit-backend doctor', replay: 'create-chatkit-backend replay cassettes',
    });
  });

  it('leaves our own package without dependencies or peers, so npx downloads our tarball and nothing else', () => {
    const manifest = own as OwnPackageJson & Record<string, unknown>;
    expect(manifest.dependencies ?? {}).toEqual({});
    // With peers, even optional ones, npm fetches each one's registry metadata on every cold npx.
    expect(manifest.peerDependencies).toBeUndefined();
    expect(manifest.optionalDependencies).toBeUndefined();
    for (const name of [...ALL_RUNTIME_PACKAGES, 'tsx']) {
      expect(PROJECT_PACKAGES, name).toContain(name);
      expect(own.devDependencies?.[name], name).toBeDefined();
    }
  });
});

const ALL_RUNTIME_PACKAGES = [...ALWAYS.filter((name) => name !== 'create-chatkit-backend'), '@libsql/client', 'pg', 'nunjucks'];
