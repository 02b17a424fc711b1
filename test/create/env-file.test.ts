/**
 * `.env.example` (committed, copied by teammates) and `.env` hold only the
 * chosen provider's and store's variables, with development values, no key
 * and nothing that looks like one, and every path they set exists.
 */
import { describe, expect, it } from 'vitest';
import { AUTHS, FRONTENDS, PROVIDERS, STORES, TEMPLATES } from '../../src/cli/create/choices.js';
import { ALL_LAYERS } from '../../src/cli/create/layers.js';
import { envExampleFile, envFile } from '../../src/cli/create/env-file.js';
import { planFiles, type FilePlan } from '../../src/cli/create/plan.js';
import { readLayers } from '../../src/cli/create/template-files.js';
import { ownPackageJson } from '../../src/cli/shared/own-package.js';
import { settings } from './helpers.js';

const own = ownPackageJson();
const layers = await readLayers(ALL_LAYERS);
const text = (plan: FilePlan, path: string) => plan.files.find((file) => file.path === path)!.contents.toString('utf8');

/** `NAME=value` lines, set or commented out (`# NAME=value`). */
function variables(file: string): { set: Map<string, string>; mentioned: Set<string> } {
  const set = new Map<string, string>();
  const mentioned = new Set<string>();
  for (const match of file.matchAll(/^(# )?([A-Z][A-Z0-9_]*)=(.*)$/gm)) {
    mentioned.add(match[2]);
    if (!match[1]) set.set(match[2], match[3]);
  }
  return { set, mentioned };
}

const PROVIDER_VARIABLES: Record<(typeof PROVIDERS)[number], string[]> = {
  openai: ['OPENAI_API_KEY', 'OPENAI_BASE_URL'],
  gemini: ['GEMINI_API_KEY'],
  'openai-compatible': ['CHATKIT_MODEL_BASE_URL', 'CHATKIT_MODEL_API_KEY'],
  scripted: ['CHATKIT_SCRIPT'],
};
const STORE_VARIABLES: Record<(typeof STORES)[number], string[]> = { sqlite: ['CHATKIT_SQLITE_URL'], postgres: ['DATABASE_URL'], memory: [] };

const combinations = TEMPLATES.flatMap((template) =>
  PROVIDERS.flatMap((provider) =>
    STORES.flatMap((store) =>
      AUTHS.flatMap((auth) =>
        FRONTENDS.map((frontend) => settings({ template, provider, store, auth, frontend, baseUrl: provider === 'openai-compatible' ? 'http://localhost:11434/v1' : undefined })),
      ),
    ),
  ),
);

describe('.env and .env.example', () => {
  it('name only the chosen provider, store, auth and frontend variables, in both files', () => {
    for (const combination of combinations) {
      const example = variables(envExampleFile(combination));
      const label = `${combination.template}/${combination.provider}/${combination.store}/${combination.auth}/${combination.frontend}`;
      expect([...variables(envFile(combination)).mentioned], label).toEqual([...example.mentioned]);
      for (const [provider, names] of Object.entries(PROVIDER_VARIABLES)) {
        for (const name of names) expect(example.mentioned.has(name), `${label}: ${name}`).toBe(provider === combination.provider);
      }
      for (const [store, names] of Object.entries(STORE_VARIABLES)) {
        for (const name of names) expect(example.mentioned.has(name), `${label}: ${name}`).toBe(store === combination.store);
      }
      expect(example.mentioned.has('CHATKIT_JWT_SECRET'), label).toBe(combination.auth === 'jwt');
      expect(example.mentioned.has('VITE_CHATKIT_DOMAIN_KEY'), label).toBe(combination.frontend !== 'none');
      expect(example.set.get('CHATKIT_MODEL_PROVIDER'), label).toBe(combination.provider);
    }
  });

  it('hold development values: no key or key-shaped placeholder, no password, no production settings', () => {
    for (const combination of combinations) {
      for (const [file, contents] of [['.env', envFile(combination)], ['.env.example', envExampleFile(combination)]]) {
        const label = `${file} of ${combination.template}/${combination.provider}/${combination.store}`;
        expect(contents, label).not.toMatch(/sk-|AIza|user:password|example\.com|NODE_ENV|production/);
        for (const key of ['OPENAI_API_KEY', 'GEMINI_API_KEY', 'CHATKIT_JWT_SECRET', 'CHATKIT_MODEL_API_KEY']) {
          expect(contents, `${label}: ${key}`).not.toMatch(new RegExp(`^(# )?${key}=\\S`, 'm'));
        }
        expect(variables(contents).set.get('CHATKIT_CORS_ORIGINS'), label).toBe('http://localhost:5173');
      }
    }
  });

  it('set CHATKIT_SCRIPT only where the project has that script (the widget templates ship scripts/demo.json)', () => {
    for (const template of TEMPLATES) {
      const plan = planFiles(settings({ template, provider: 'scripted' }), layers, own);
      const script = variables(text(plan, '.env.example')).set.get('CHATKIT_SCRIPT');
      if (script === undefined) expect(template === 'basic' || template === 'agent', template).toBe(true);
      else expect(plan.files.map((file) => file.path), template).toContain(script);
    }
    expect(variables(text(planFiles(settings({ template: 'tools', provider: 'scripted' }), layers, own), '.env')).set.get('CHATKIT_SCRIPT')).toBe('scripts/demo.json');
  });

  it('mention every variable the generated code reads', () => {
    // What the code reads depends on the template, store, auth and frontend; the provider's variables are checked above.
    for (const combination of combinations.filter((candidate) => candidate.provider === 'openai')) {
      const plan = planFiles(combination, layers, own);
      const example = variables(text(plan, '.env.example'));
      const readByCode = plan.files
        .filter((file) => file.path.startsWith('src/') || file.path.startsWith('frontend/'))
        .flatMap((file) => [...file.contents.toString('utf8').matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g)].map((match) => match[1]))
        // NODE_ENV is set by `dev`, the tests and the deployment, never by .env.
        .filter((name) => name !== 'NODE_ENV');
      for (const name of new Set(readByCode)) expect(example.mentioned.has(name), `${name} in .env.example`).toBe(true);
    }
  });
});
