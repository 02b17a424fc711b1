/**
 * The generated CI workflow, for real (its steps, not GitHub): pack this
 * package, scaffold a project from the tarball, commit it and clone it (so
 * the job sees exactly what a push carries: its lockfile, no .env, no node_modules), then
 * run every `run:` step of .github/workflows/ci.yml with the job's `env:`.
 * The steps pass with no secret; a page that loses its ChatKit.js script
 * then fails `doctor --strict --format github` with an annotation. The built
 * server refuses to start with one clear line when its store cannot work.
 *
 * Slow (a build, a pack and an `npm install`): several minutes under load.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'ccb-ci-'));

/** As in test/create/e2e.test.ts: our Node first on PATH, nothing inherited from npm, vitest or a real CI. */
const baseEnv: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries({ ...process.env, PATH: `${join(repo, 'node_modules', '.bin')}${delimiter}${process.env.PATH}` }).filter(
    ([key]) => !key.startsWith('npm_') && !key.startsWith('VITEST') && key !== 'NODE_ENV' && key !== 'CI' && !key.startsWith('CHATKIT_') && !key.endsWith('_API_KEY') && key !== 'DATABASE_URL',
  ),
);

interface Workflow {
  env: Record<string, string>;
  runs: string[];
}

/**
 * The job's `env:` mapping and `run:` steps, read from the generated file. The
 * workflow is ours and uses only plain `key: value` lines and one-line `run:`
 * steps; anything else in those places fails this reader (and the test).
 */
function readWorkflow(text: string): Workflow {
  const lines = text.split('\n');
  const env: Record<string, string> = {};
  const envStart = lines.findIndex((line) => line === '    env:');
  expect(envStart, 'the job has an env: block').toBeGreaterThan(-1);
  for (const line of lines.slice(envStart + 1)) {
    if (/^\s*#/.test(line)) continue;
    const entry = /^ {6}([A-Z_][A-Z0-9_]*): (.+)$/.exec(line);
    if (!entry) break;
    env[entry[1]] = entry[2];
  }
  const runs = lines.map((line) => /^ {6}- run: (.+)$/.exec(line)?.[1]).filter((run): run is string => run !== undefined);
  return { env, runs };
}

let checkout = '';
let workflow: Workflow;

beforeAll(async () => {
  // Built and packed once for the whole run (test/support/global-build.ts).
  const tarball = inject('packedTarball');
  mkdirSync(join(work, 'cli'));
  await execa('tar', ['-xzf', tarball, '-C', join(work, 'cli')]);
  symlinkSync(join(repo, 'node_modules'), join(work, 'cli', 'package', 'node_modules'), 'dir');
  const cliBin = join(work, 'cli', 'package', 'bin', 'create-chatkit-backend.js');

  mkdirSync(join(work, 'projects'));
  await execa(
    process.execPath,
    [cliBin, 'ci-app', '--template', 'tools', '--provider', 'scripted', '--store', 'sqlite', '--auth', 'jwt', '--frontend', 'vanilla',
      '--package-manager', 'npm', '--no-install', '--no-git', '--no-interactive', '--runtime', `file:${tarball}`],
    { cwd: join(work, 'projects'), env: baseEnv },
  );
  const project = join(work, 'projects', 'ci-app');
  // The lockfile a developer commits after their first install (the job installs from it with npm ci).
  await execa('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund'], { cwd: project, env: baseEnv });
  // What a push carries: the committed files only.
  const git = (cwd: string, ...args: string[]) => execa('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', ...args], { cwd, env: baseEnv });
  await git(project, 'init', '-q', '-b', 'main');
  await git(project, 'add', '-A');
  await git(project, 'commit', '-qm', 'generated');
  // At the project's depth: its package.json points at the tarball by a relative `file:` path.
  checkout = join(work, 'projects', 'checkout');
  await git(work, 'clone', '-q', project, checkout);
  workflow = readWorkflow(readFileSync(join(checkout, '.github/workflows/ci.yml'), 'utf8'));
}, 900_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** One `run:` step in the checkout, with the job's environment, as the runner's bash does it. */
function step(run: string, extra: NodeJS.ProcessEnv = {}) {
  return execa('bash', ['-e', '-c', run], { cwd: checkout, env: { ...baseEnv, ...workflow.env, CI: 'true', ...extra }, reject: false, all: true });
}

describe('the generated CI workflow', () => {
  it('is shipped in the package and carries no secret', () => {
    expect(workflow.runs).toEqual(['npm ci', 'npm run typecheck', 'npm run test', 'npm run doctor -- --strict --format github']);
    expect(workflow.env).toMatchObject({ CHATKIT_MODEL_PROVIDER: 'scripted', CHATKIT_SCRIPT: 'scripts/demo.json' });
    const text = readFileSync(join(checkout, '.github/workflows/ci.yml'), 'utf8');
    expect(text).not.toMatch(/secrets\./);
    expect(text).not.toMatch(/sk-|AIza/);
  });

  it('its steps pass on a fresh checkout: install, typecheck, the offline tests, doctor --strict', async () => {
    for (const run of workflow.runs) {
      const result = await step(run);
      expect(result.exitCode, `${run}\n${result.all}`).toBe(0);
      if (run.includes('doctor')) {
        expect(result.all).toMatch(/\d+ checks: \d+ passed/);
        expect(result.all).not.toMatch(/^::(error|warning)/m);
      }
    }
  }, 900_000);

  it('a finding fails the doctor step with a GitHub annotation', async () => {
    const page = join(checkout, 'frontend/index.html');
    const original = readFileSync(page, 'utf8');
    writeFileSync(page, original.replace(/\s*<script src="https:\/\/cdn\.platform\.openai\.com[^>]*><\/script>/, ''));
    try {
      const result = await step(workflow.runs.at(-1)!);
      expect(result.exitCode).toBe(1);
      expect(result.all).toMatch(/^::error title=doctor%3A ChatKit\.js script on the page \(chatkit-script\)::ChatKit is rendered but no page loads ChatKit\.js/m);
    } finally {
      writeFileSync(page, original);
    }
  }, 300_000);

  it('the built server with a store that cannot work exits 1 with one line saying what to do', async () => {
    expect((await step('npm run build')).exitCode).toBe(0);
    writeFileSync(join(checkout, 'not-a-dir'), '');
    const result = await step('node dist/server.js', { CHATKIT_SQLITE_URL: 'file:not-a-dir/chatkit.db', CHATKIT_JWT_SECRET: 'ci-only-not-a-secret-0123456789abcdef0123456789' });
    expect(result.exitCode).toBe(1);
    expect(result.all.trim()).toBe('Cannot start: SQLite cannot write not-a-dir/chatkit.db: its directory is missing or not writable (EEXIST). Make the directory writable, or set CHATKIT_SQLITE_URL to a file in a writable directory (":memory:" keeps nothing).');
  }, 300_000);
});
