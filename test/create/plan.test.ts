import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AUTHS, FRONTENDS, PROVIDERS, STORES, TEMPLATES } from '../../src/cli/create/choices.js';
import { ALL_LAYERS, layersFor } from '../../src/cli/create/layers.js';
import { planFiles, type FilePlan } from '../../src/cli/create/plan.js';
import { renderTemplate, TemplateRenderError } from '../../src/cli/create/render.js';
import { readLayers, type TemplateFile } from '../../src/cli/create/template-files.js';
import { ownPackageJson } from '../../src/cli/shared/own-package.js';
import { settings } from './helpers.js';

const own = ownPackageJson();
const layers = await readLayers(ALL_LAYERS);
const text = (plan: FilePlan, path: string) => {
  const file = plan.files.find((candidate) => candidate.path === path);
  if (!file) throw new Error(`${path} is not in the plan: ${plan.files.map((f) => f.path).join(', ')}`);
  return file.contents.toString('utf8');
};
const paths = (plan: FilePlan) => plan.files.map((file) => file.path);

/** Every combination of the options that change generated files. */
const combinations = TEMPLATES.flatMap((template) =>
  PROVIDERS.flatMap((provider) =>
    STORES.flatMap((store) =>
      AUTHS.flatMap((auth) =>
        FRONTENDS.map((frontend) =>
          settings({ template, provider, store, auth, frontend, baseUrl: provider === 'openai-compatible' ? 'http://localhost:11434/v1' : undefined }),
        ),
      ),
    ),
  ),
);

describe('the file plan', () => {
  it(`renders all ${combinations.length} combinations in strict mode, leaving no template syntax behind`, () => {
    for (const combination of combinations) {
      const plan = planFiles(combination, layers, own);
      for (const file of plan.files) {
        expect(file.path.endsWith('.hbs'), file.path).toBe(false);
        if (/\.(ts|tsx|json|md)$/.test(file.path)) expect(file.contents.toString('utf8'), `${file.path}`).not.toMatch(/\{\{[#/]?[a-zA-Z]/);
      }
    }
    // 288 full renders: about ten seconds on an idle core, several times that on a loaded CI machine.
  }, 180_000);

  it('has the files of the contract in every template', () => {
    for (const template of TEMPLATES) {
      const plan = planFiles(settings({ template }), layers, own);
      for (const path of [
        'src/app.ts', 'src/server.ts', 'src/model.ts', 'src/chatkit-server.ts', 'package.json', '.env', '.env.example',
        '.gitignore', 'README.md', 'tsconfig.json', 'test/app.test.ts', 'test/replay.test.ts', 'cassettes/smoke.cassette.jsonl',
        'frontend/ChatKitPanel.tsx', 'frontend/chatkit-options.ts',
      ]) {
        expect(paths(plan), `${template}: ${path}`).toContain(path);
      }
      expect(paths(plan)).not.toContain('_gitignore');
    }
  });

  it('copies files that are not *.hbs byte for byte', () => {
    const plan = planFiles(settings({ template: 'tools' }), layers, own);
    const model = plan.files.find((file) => file.path === 'src/model.ts')!;
    expect(model.contents.equals(readFileSync(new URL('../../templates/base/src/model.ts', import.meta.url)))).toBe(true);
    const cassette = plan.files.find((file) => file.path === 'cassettes/smoke.cassette.jsonl')!;
    expect(cassette.contents.equals(readFileSync(new URL('../../templates/tools/cassettes/smoke.cassette.jsonl', import.meta.url)))).toBe(true);
  });

  it('lets later layers replace earlier ones (the agent server replaces nothing in basic)', () => {
    const basic = planFiles(settings({ template: 'basic' }), layers, own);
    expect(text(basic, 'src/chatkit-server.ts')).toContain('streamModelText');
    expect(paths(basic)).not.toContain('src/agent.ts');
    const multi = planFiles(settings({ template: 'multi-agent' }), layers, own);
    expect(text(multi, 'src/chatkit-server.ts')).toContain('streamAgentResponse');
    expect(text(multi, 'src/agent.ts')).toContain('handoff');
  });

  it('wires the chosen store, auth and provider', () => {
    const postgres = planFiles(settings({ store: 'postgres', auth: 'jwt' }), layers, own);
    expect(text(postgres, 'src/app.ts')).toContain("from 'create-chatkit-backend/stores/postgres'");
    expect(text(postgres, 'src/app.ts')).not.toContain('SQLiteStore');
    expect(text(postgres, 'src/app.ts')).toContain('CHATKIT_JWT_SECRET');
    expect(text(postgres, '.env')).toMatch(/^DATABASE_URL=postgres:/m);
    const memory = planFiles(settings({ store: 'memory' }), layers, own);
    expect(text(memory, 'src/app.ts')).toContain('new MemoryStore');
    expect(text(memory, 'src/app.ts')).not.toContain('auth:');
    const compatible = planFiles(settings({ provider: 'openai-compatible', baseUrl: 'http://gpu:8000/v1', model: 'qwen3' }), layers, own);
    expect(text(compatible, '.env')).toMatch(/^CHATKIT_MODEL_PROVIDER=openai-compatible$/m);
    expect(text(compatible, '.env')).toMatch(/^CHATKIT_MODEL_BASE_URL=http:\/\/gpu:8000\/v1$/m);
    expect(text(compatible, '.env')).toMatch(/^CHATKIT_MODEL=qwen3$/m);
  });

  it('keeps keys and secrets out of the frontend, which reads its domain key from the environment', () => {
    for (const frontend of ['react', 'vanilla'] as const) {
      for (const auth of AUTHS) {
        const plan = planFiles(settings({ frontend, auth }), layers, own);
        const frontendText = plan.files.filter((file) => file.path.startsWith('frontend/')).map((file) => file.contents.toString('utf8')).join('\n');
        // Browsers only see VITE_ variables; no server variable is read and no key-shaped string appears.
        expect(frontendText).not.toMatch(/process\.env|import\.meta\.env\.(?!VITE_)|sk-[A-Za-z0-9]|AIza[0-9A-Za-z]/);
        expect(frontendText).toContain('VITE_CHATKIT_DOMAIN_KEY');
        expect(frontendText).toContain('uploadStrategy');
        expect(frontendText).toContain('fetch:');
        if (auth === 'jwt') expect(frontendText).toContain('Authorization');
      }
    }
    expect(paths(planFiles(settings({ frontend: 'none' }), layers, own)).some((path) => path.startsWith('frontend/'))).toBe(false);
    expect(paths(planFiles(settings({ frontend: 'vanilla' }), layers, own))).toEqual(expect.arrayContaining(['frontend/chatkit.ts', 'frontend/index.html']));
  });

  it('follows the widget rules: tools stream widgets through the context, the agent is told not to repeat them', () => {
    for (const template of ['tools', 'multi-agent'] as const) {
      const plan = planFiles(settings({ template }), layers, own);
      expect(text(plan, 'src/tools/tasks.ts')).toContain('ctx.streamWidget(');
      expect(text(plan, 'src/tools/tasks.ts')).toMatch(/DO NOT repeat/);
      expect(text(plan, 'src/agent.ts')).toContain('WIDGET_RULES');
      expect(text(plan, 'src/widgets/task-list.ts')).toContain('No tasks found');
    }
  });

  it("names in the README only the project's files that the template ships", () => {
    for (const template of TEMPLATES) {
      for (const provider of ['scripted', 'openai'] as const) {
        for (const [frontend, auth] of FRONTENDS.flatMap((frontend) => AUTHS.map((auth) => [frontend, auth] as const))) {
          const plan = planFiles(settings({ template, provider, frontend, auth }), layers, own);
          const mentioned = text(plan, 'README.md').match(/(?<![\w/.-])(?:src|scripts|test|cassettes|frontend)\/[\w./-]*\.[a-z]+\b/g) ?? [];
          // frontend/.env is the one the user creates (the README says so).
          const missing = mentioned.filter((path) => path !== 'frontend/.env' && !paths(plan).includes(path));
          expect(missing, `${template}/${provider}/${frontend}/${auth}`).toEqual([]);
        }
      }
    }
  });

  it('puts the port and package manager into the generated code and README', () => {
    const plan = planFiles(settings({ port: 9123, packageManager: 'pnpm' }), layers, own);
    expect(text(plan, 'src/server.ts')).toContain('process.env.PORT ?? 9123');
    expect(text(plan, 'README.md')).toContain('pnpm dev');
  });

  it("passes script options the way each package manager forwards them", () => {
    // pnpm, yarn and bun forward `--` verbatim, which would turn `--update` into a positional argument.
    expect(text(planFiles(settings({ packageManager: 'npm' }), layers, own), 'README.md')).toContain('`npm run replay -- --update`');
    expect(text(planFiles(settings({ packageManager: 'pnpm' }), layers, own), 'README.md')).toContain('`pnpm replay --update`');
    // `bun test` is bun's own runner, not the project's vitest script.
    const bun = text(planFiles(settings({ packageManager: 'bun' }), layers, own), 'README.md');
    expect(bun).toContain('bun run test');
    expect(bun).toContain('`bun run doctor --url https://your-api.example.com`');
  });

  it('runs the doctor script with `pnpm run` under pnpm, whose own `pnpm doctor` would answer instead', () => {
    const plan = planFiles(settings({ packageManager: 'pnpm' }), layers, own);
    for (const path of ['README.md', '.github/workflows/ci.yml']) {
      expect(text(plan, path), path).toContain('pnpm run doctor');
      expect(text(plan, path), path).not.toMatch(/pnpm doctor/);
    }
    expect(text(plan, 'README.md')).toContain('pnpm dev');
  });

  it('allows esbuild its install script in pnpm projects only (pnpm 11+ stops the install otherwise)', () => {
    const pnpm = planFiles(settings({ packageManager: 'pnpm' }), layers, own);
    expect(text(pnpm, 'pnpm-workspace.yaml')).toMatch(/^allowBuilds:\n  esbuild: true$/m);
    for (const packageManager of ['npm', 'yarn', 'bun'] as const) {
      expect(paths(planFiles(settings({ packageManager }), layers, own)), packageManager).not.toContain('pnpm-workspace.yaml');
    }
  });

  it('gives yarn projects a node_modules folder instead of Plug\'n\'Play, and every project vitest\'s peer vite', () => {
    expect(text(planFiles(settings({ packageManager: 'yarn' }), layers, own), '.yarnrc.yml')).toMatch(/^nodeLinker: node-modules$/m);
    for (const packageManager of ['npm', 'pnpm', 'bun'] as const) {
      const plan = planFiles(settings({ packageManager }), layers, own);
      expect(paths(plan), packageManager).not.toContain('.yarnrc.yml');
      expect(JSON.parse(text(plan, 'package.json')).devDependencies.vite, packageManager).toMatch(/^\^\d+\./);
    }
  });

  it('sets up the pnpm or yarn that made the lockfile in CI, and installs from the lockfile there', () => {
    const workflow = (plan: FilePlan) => text(plan, '.github/workflows/ci.yml');
    const yarn = planFiles(settings({ packageManager: 'yarn', packageManagerVersion: '4.18.1' }), layers, own);
    expect(JSON.parse(text(yarn, 'package.json')).packageManager).toBe('yarn@4.18.1');
    expect(workflow(yarn)).toMatch(/^ {6}- run: corepack enable\n {6}- run: yarn install$/m);
    expect(JSON.parse(text(planFiles(settings({ packageManager: 'yarn' }), layers, own), 'package.json'))).not.toHaveProperty('packageManager');
    const pnpm = planFiles(settings({ packageManager: 'pnpm', packageManagerVersion: '12.23.0' }), layers, own);
    expect(workflow(pnpm)).toMatch(/^ {6}- uses: pnpm\/action-setup@v4\n {8}with:\n {10}version: 12\.23\.0\n {6}- run: pnpm install$/m);
    expect(workflow(planFiles(settings({ packageManager: 'pnpm' }), layers, own))).toMatch(/^ {10}version: latest$/m);
    for (const packageManager of ['npm', 'pnpm', 'bun'] as const) {
      const plan = planFiles(settings({ packageManager, packageManagerVersion: '1.4.5' }), layers, own);
      expect(JSON.parse(text(plan, 'package.json')), packageManager).not.toHaveProperty('packageManager');
      expect(workflow(plan), packageManager).not.toContain('corepack');
    }
    expect(workflow(planFiles(settings({ packageManager: 'npm' }), layers, own))).toMatch(/^ {6}- run: npm ci$/m);
    const bun = workflow(planFiles(settings({ packageManager: 'bun' }), layers, own));
    expect(bun).toMatch(/^ {6}- uses: oven-sh\/setup-bun@v2\n {6}- run: bun install --frozen-lockfile$/m);
  });

  it('tells how to get doctor\'s JSON without the package manager\'s own lines, each its own way', () => {
    const readme = (packageManager: 'npm' | 'pnpm' | 'yarn' | 'bun') => text(planFiles(settings({ packageManager }), layers, own), 'README.md');
    expect(readme('npm')).toContain('`npm run -s doctor -- --json > doctor.json` (which keeps npm\'s own lines out of the file)');
    expect(readme('pnpm')).toContain('`pnpm --silent run doctor --json > doctor.json`');
    expect(readme('bun')).toContain('`bun run --silent doctor --json > doctor.json`');
    // Yarn 2+ prints nothing of its own, and has no -s.
    expect(readme('yarn')).toContain('`yarn doctor --json > doctor.json`.');
    expect(readme('yarn')).not.toContain('is not valid JSON');
    for (const packageManager of ['pnpm', 'yarn', 'bun'] as const) expect(readme(packageManager), packageManager).not.toContain('npm run -s');
  });

  it('drops a rendered file that comes out empty', () => {
    const custom = new Map<string, TemplateFile[]>(layers);
    custom.set('base', [...layers.get('base')!, { path: 'src/only-for-jwt.ts.hbs', contents: Buffer.from('{{#if isJwt}}export {};{{/if}}\n') }]);
    expect(paths(planFiles(settings({ auth: 'none' }), custom, own))).not.toContain('src/only-for-jwt.ts');
    expect(paths(planFiles(settings({ auth: 'jwt' }), custom, own))).toContain('src/only-for-jwt.ts');
  });

  it('layers a frontend only when one is chosen', () => {
    expect(layersFor('basic', 'none')).toEqual(['base', 'basic']);
    expect(layersFor('tools', 'react')).toEqual(['base', 'agent-runtime', 'widgets', 'tools', 'frontend-common', 'frontend-react']);
  });
});

describe('rendering', () => {
  it('fails on a variable the view does not define, naming the template', () => {
    expect(() => renderTemplate('base/x.ts.hbs', 'port {{prot}}', { port: 1 })).toThrow(TemplateRenderError);
    expect(() => renderTemplate('base/x.ts.hbs', 'port {{prot}}', { port: 1 })).toThrow(/base\/x\.ts\.hbs.*prot/);
  });

  it('does not HTML-escape generated code', () => {
    expect(renderTemplate('x', "{{value}}", { value: "a && b < 'c'" })).toBe("a && b < 'c'");
  });
});
