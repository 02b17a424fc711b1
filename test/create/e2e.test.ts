/**
 * End to end, as a user gets it. Build and `npm pack` the CLI, then scaffold:
 *
 * - from the unpacked tarball with no node_modules at all (what `npx` runs:
 *   the bundle must be self-contained), on Node 22 and on the system's
 *   Node 20 (install, git and next steps included);
 * - from this source checkout (`node bin/create-chatkit-backend.js`), whose
 *   project depends on the checkout's own packed build and is installed by
 *   the CLI itself.
 *
 * For each of the four templates: install, type-check, run the generated
 * tests and doctor, build, drop the dev dependencies (what `npm ci
 * --omit=dev` leaves: no dev tools, no other store's driver), boot the
 * server with the scripted model, and stream a reply to a real
 * `threads.create`. Every other option value is covered by a project that
 * type-checks, sharing one install to keep this fast.
 *
 * Slow (a few minutes: five `npm install`s); in its own file so it can be
 * run or skipped on its own.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { SignJWT } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'ccb-e2e-'));
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const jwtSecret = 'e2e-secret-that-is-long-enough-for-hs256';

/**
 * The Node 20 that `npx` may bring. CI names it (CHATKIT_E2E_NODE20, set by
 * .ci/run) and then the run fails if it is missing; elsewhere /usr/bin/node
 * is used when it is a Node 20.
 */
const node20 = process.env.CHATKIT_E2E_NODE20 ?? (existsSync('/usr/bin/node') ? '/usr/bin/node' : undefined);

/** Without inherited npm/CI settings that change behaviour. */
const cleanEnv = (path: string): NodeJS.ProcessEnv =>
  Object.fromEntries(
    Object.entries({ ...process.env, PATH: path }).filter(([key]) => !key.startsWith('npm_') && !key.startsWith('VITEST') && key !== 'NODE_ENV' && key !== 'CI'),
  );
const repoBin = join(repo, 'node_modules', '.bin');
/** Our Node 22 first on PATH. */
const baseEnv = cleanEnv(`${repoBin}${delimiter}${process.env.PATH}`);
/** The system's PATH without our Node 22: `node` and `npm` are the system's. */
const systemEnv = cleanEnv((process.env.PATH ?? '').split(delimiter).filter((dir) => dir !== repoBin && !dir.startsWith(join(repo, 'node_modules'))).join(delimiter));

type Origin = 'tarball' | 'tarball-node20' | 'checkout';

interface Project {
  name: string;
  template: string;
  args: string[];
  /** Which CLI made it: the unpacked tarball (on Node 22 or 20) or this checkout's build. */
  origin?: Origin;
}

/** The four templates, run for real, spread over the store/auth/frontend values and the three ways to run the CLI. */
const RUN: Project[] = [
  { name: 'basic', template: 'basic', args: ['--store', 'sqlite', '--auth', 'none', '--frontend', 'react'], origin: 'checkout' },
  { name: 'agent', template: 'agent', args: ['--store', 'memory', '--auth', 'jwt', '--frontend', 'vanilla'], origin: 'tarball-node20' },
  { name: 'tools', template: 'tools', args: ['--store', 'sqlite', '--auth', 'none', '--frontend', 'react'] },
  { name: 'multi-agent', template: 'multi-agent', args: ['--store', 'postgres', '--auth', 'jwt', '--frontend', 'none'] },
];

/** Type-check only: every provider, store, auth and frontend value appears at least once overall. */
const TYPECHECK_ONLY: Project[] = [
  { name: 'tc-openai-tools', template: 'tools', args: ['--provider', 'openai'] },
  {
    name: 'tc-gemini-agent',
    template: 'agent',
    args: ['--provider', 'gemini', '--model', 'gemini-2.5-flash', '--store', 'postgres', '--frontend', 'none'],
  },
  {
    name: 'tc-compatible-multi-agent',
    template: 'multi-agent',
    args: ['--provider', 'openai-compatible', '--base-url', 'http://localhost:11434/v1', '--store', 'memory', '--auth', 'jwt', '--frontend', 'vanilla'],
  },
  { name: 'tc-openai-basic', template: 'basic', args: ['--provider', 'openai', '--store', 'postgres', '--auth', 'jwt', '--frontend', 'vanilla'] },
];

let tarball = '';
let tarballBin = '';
const dirOf = (project: Project) => join(work, 'projects', project.name);
/** What each CLI run printed, for the tests to read. */
const scaffoldRuns = new Map<string, { stdout: string; stderr: string }>();

async function scaffold(project: Project, extra: string[]): Promise<void> {
  const common = [project.name, '--template', project.template, ...project.args, ...extra, '--package-manager', 'npm', '--no-interactive'];
  const cwd = join(work, 'projects');
  const origin = project.origin ?? 'tarball';
  const run =
    origin === 'checkout'
      ? // As the README says: the checkout's CLI, its own install, its own packed build as the runtime.
        execa(process.execPath, [join(repo, 'bin', 'create-chatkit-backend.js'), ...common, '--install', '--no-git'], { cwd, env: baseEnv })
      : origin === 'tarball-node20'
        ? // npx on Node 20: install and git by the CLI, npm on Node 20.
          execa(node20!, [tarballBin, ...common, '--install', '--git', '--runtime', `file:${tarball}`], { cwd, env: systemEnv })
        : execa(process.execPath, [tarballBin, ...common, '--no-install', '--no-git', '--runtime', `file:${tarball}`], { cwd, env: baseEnv });
  const result = await run;
  scaffoldRuns.set(project.name, { stdout: result.stdout, stderr: result.stderr });
}

async function npmInstall(dir: string): Promise<void> {
  await execa('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: dir, env: baseEnv });
}

beforeAll(async () => {
  if (process.env.CHATKIT_E2E_NODE20 !== undefined && !existsSync(process.env.CHATKIT_E2E_NODE20)) {
    throw new Error(`CHATKIT_E2E_NODE20=${process.env.CHATKIT_E2E_NODE20} does not exist: CI scaffolds on Node 20 too; install one or point the variable at it`);
  }
  if (RUN.some((project) => project.origin === 'tarball-node20') && node20 === undefined) {
    // No Node 20 here (and none named): that project is made on Node 22 instead; its own test below is skipped.
    for (const project of RUN) if (project.origin === 'tarball-node20') project.origin = 'tarball';
  }
  // Built and packed once for the whole run (test/support/global-build.ts).
  tarball = inject('packedTarball');

  // The packed files exactly as published, and nothing else: no node_modules next to them.
  mkdirSync(join(work, 'cli'));
  await execa('tar', ['-xzf', tarball, '-C', join(work, 'cli')]);
  tarballBin = join(work, 'cli', 'package', 'bin', 'create-chatkit-backend.js');

  mkdirSync(join(work, 'projects'));
  await Promise.all([
    ...RUN.map((project) => scaffold(project, ['--provider', 'scripted'])),
    ...TYPECHECK_ONLY.map((project) => scaffold(project, [])),
  ]);
  // Installs run in parallel: they are mostly network and disk. The CLI already installed the others.
  await Promise.all(RUN.filter((project) => (project.origin ?? 'tarball') === 'tarball').map((project) => npmInstall(dirOf(project))));
  // The type-check-only projects share the multi-agent install (the postgres driver; the other libraries every project has).
  const shared = join(dirOf(RUN[3]), 'node_modules');
  for (const project of TYPECHECK_ONLY) symlinkSync(shared, join(dirOf(project), 'node_modules'), 'dir');
}, 900_000);

// Five installs are a few hundred megabytes: gone after the run (KEEP_E2E=1 keeps them to look at).
afterAll(async () => {
  if (process.env.KEEP_E2E !== '1') await rm(work, { recursive: true, force: true });
}, 300_000);

describe('the published package', () => {
  it('holds no source maps pointing at files it does not ship, a LICENSE, and the bundled licences', async () => {
    const files = (await execa('tar', ['-tzf', tarball], { env: baseEnv })).stdout.split('\n');
    expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
    expect(files.filter((file) => file.endsWith('.js')).some((file) => readFileSync(join(work, 'cli', file), 'utf8').includes('sourceMappingURL'))).toBe(false);
    expect(files).toEqual(expect.arrayContaining(['package/LICENSE', 'package/dist/cli/THIRD-PARTY-LICENSES.txt', 'package/bin/create-chatkit-backend.js']));
    expect(files.some((file) => file.startsWith('package/src/'))).toBe(false);
  });

  it.skipIf(node20 === undefined)('scaffolds end to end on Node 20 (npx on an older Node): install, git, next steps and the Node the project needs', async () => {
    const version = (await execa(node20!, ['--version'])).stdout.trim();
    expect(version, `${node20} should be a Node 20 (CHATKIT_E2E_NODE20)`).toMatch(/^v20\./);
    const dir = dirOf(RUN[1]);
    const { stdout, stderr } = scaffoldRuns.get('agent')!;
    expect(stderr).not.toMatch(/Installing dependencies failed|git init failed|git init skipped/);
    expect(stdout).toMatch(/Next steps:\n  cd agent\n  # in \.env, set CHATKIT_JWT_SECRET=[^\n]*\n  npm run dev\n/);
    expect(stdout).toContain(`The project needs Node 22.12 or later to run (this is Node ${version})`);
    // Said before npm's engine warnings, not only after them.
    expect(stdout.indexOf(`Installing on Node ${version}: expect warnings`)).toBeGreaterThan(-1);
    expect(stdout.indexOf(`Installing on Node ${version}`)).toBeLessThan(stdout.indexOf('Next steps:'));
    expect(existsSync(join(dir, 'node_modules', 'create-chatkit-backend', 'dist', 'runtime', 'index.js'))).toBe(true);
    expect((await execa('git', ['log', '--oneline'], { cwd: dir })).stdout.trim().split('\n')).toHaveLength(1);
  });

  it('from a source checkout, depends on the checkout\'s packed build (in .pack/) and installs it', () => {
    const pkg = JSON.parse(readFileSync(join(dirOf(RUN[0]), 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const spec = pkg.dependencies['create-chatkit-backend'];
    expect(spec).toMatch(/^file:.*\/\.pack\/create-chatkit-backend-\d+\.\d+\.\d+-[0-9a-f]{12}\.tgz$/);
    expect(existsSync(join(dirOf(RUN[0]), spec.slice('file:'.length)))).toBe(true);
    expect(scaffoldRuns.get('basic')!.stdout).toContain('Running from a source checkout');
    expect(existsSync(join(dirOf(RUN[0]), 'node_modules', 'create-chatkit-backend', 'dist', 'cli', 'main.js'))).toBe(true);
  });
});

/** What the generated project's own tests and server see. */
/** Schemas the generated Postgres projects' tests create (`chatkit_test_<pid>_…`) that are still there. */
async function leftoverTestSchemas(): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ nspname: string }>("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'chatkit\\_test\\_%'");
    return rows.map((row) => row.nspname);
  } finally {
    await client.end();
  }
}

function projectEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...baseEnv, DATABASE_URL: databaseUrl, ...extra };
}

async function tokenFor(userId: string): Promise<string> {
  return new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(userId).setIssuedAt().setExpirationTime('5m').sign(new TextEncoder().encode(jwtSecret));
}

/**
 * Starts the project's `start` script on a free port and resolves with its endpoint from the log.
 * The script's command is run directly rather than through `npm start`: npm does not pass SIGTERM on
 * to the server, which would outlive the test.
 */
async function boot(dir: string, env: NodeJS.ProcessEnv): Promise<{ endpoint: string; server: ResultPromise }> {
  const start = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const [command, ...args] = start.split(' ');
  expect(command).toBe('node');
  const server = execa(process.execPath, args, { cwd: dir, env, reject: false, buffer: false, forceKillAfterDelay: 5000 });
  let output = '';
  const endpoint = await new Promise<string>((resolve, reject) => {
    server.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /ChatKit endpoint: (http:\/\/[^\s"]+)/.exec(output);
      if (match) resolve(match[1]);
    });
    server.stderr!.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    void server.then(() => reject(new Error(`the server exited before listening:\n${output}`)));
  });
  return { endpoint, server };
}

describe.concurrent('generated projects', () => {
  // The Postgres projects' own tests write into schemas of their own and drop them:
  // once every project has run, none of theirs is left in DATABASE_URL (one left by an
  // earlier, interrupted run is not this run's).
  const usesPostgres = RUN.some((project) => project.args.includes('postgres'));
  let schemasBefore: string[] = [];
  beforeAll(async () => {
    if (usesPostgres) schemasBefore = await leftoverTestSchemas();
  });
  afterAll(async () => {
    if (usesPostgres) expect((await leftoverTestSchemas()).filter((schema) => !schemasBefore.includes(schema))).toEqual([]);
  });

  for (const project of RUN) {
    it(`${project.name}: installs, type-checks, passes its tests and doctor, and streams a reply over HTTP`, async () => {
      const dir = dirOf(project);
      const jwt = project.args.includes('jwt');
      await execa(join(dir, 'node_modules', '.bin', 'tsc'), ['--noEmit', '-p', dir], { cwd: dir, env: baseEnv });

      const tests = await execa('npm', ['test'], { cwd: dir, env: projectEnv(), reject: false, all: true });
      expect(tests.exitCode, tests.all).toBe(0);
      expect(tests.all).toMatch(/replay\.test\.ts/);

      // The fresh project passes doctor, self-contained, as CI runs it.
      const doctor = await execa(join(dir, 'node_modules', '.bin', 'create-chatkit-backend'), ['doctor', '--json'], {
        cwd: dir,
        env: projectEnv({ CI: 'true', ...(jwt ? { CHATKIT_JWT_SECRET: jwtSecret } : {}) }),
        reject: false,
      });
      expect(doctor.exitCode, `${doctor.stdout}\n${doctor.stderr}`).toBe(0);
      const report = JSON.parse(doctor.stdout) as { ok: boolean; checks: { id: string; status: string }[] };
      expect(report.ok).toBe(true);
      expect(report.checks.filter((check) => check.status === 'fail')).toEqual([]);

      await execa('npm', ['run', 'build'], { cwd: dir, env: baseEnv });
      // What `npm ci --omit=dev` leaves (multi-agent's node_modules is shared with the type-check-only projects: kept whole).
      if (project.name !== 'multi-agent') {
        await execa('npm', ['prune', '--omit=dev', '--no-audit', '--no-fund'], { cwd: dir, env: baseEnv });
        const installed = new Set(readdirSync(join(dir, 'node_modules')).flatMap((entry) =>
          entry.startsWith('@') ? readdirSync(join(dir, 'node_modules', entry)).map((name) => `${entry}/${name}`) : [entry]));
        for (const devOnly of ['tsx', 'typescript', 'vite', 'vitest', 'esbuild', 'handlebars', 'commander', '@clack/prompts', 'execa']) {
          expect(installed.has(devOnly), `${devOnly} in a production install`).toBe(false);
        }
        expect(installed.has('pg'), 'pg').toBe(project.args.includes('postgres'));
        expect(installed.has('@libsql/client'), '@libsql/client').toBe(project.args.includes('sqlite'));
      }
      if (project.args.includes('postgres')) {
        // A schema name that cannot be used stops start-up with the variable's name, before any connection.
        const start = await execa(process.execPath, ['--env-file-if-exists=.env', 'dist/server.js'], {
          cwd: dir,
          env: projectEnv({ PORT: '0', CHATKIT_POSTGRES_SCHEMA: 'my-schema', ...(jwt ? { CHATKIT_JWT_SECRET: jwtSecret } : {}) }),
          reject: false,
          all: true,
          timeout: 60_000,
        });
        expect(start.exitCode, start.all).not.toBe(0);
        expect(start.all).toContain('CHATKIT_POSTGRES_SCHEMA="my-schema" is not a plain schema name');
      }
      // No provider here: `npm start` must read CHATKIT_MODEL_PROVIDER=scripted from the project's .env.
      const { endpoint, server } = await boot(dir, projectEnv({
        PORT: '0',
        NODE_ENV: 'production',
        // Production refuses to sign preview URLs with a random per-process key.
        CHATKIT_UPLOAD_SECRET: 'e2e-upload-secret-0123456789abcdef0123456789',
        ...(jwt ? { CHATKIT_JWT_SECRET: jwtSecret } : {}),
      }));
      try {
        const response = await fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(jwt ? { authorization: `Bearer ${await tokenFor('e2e-user')}` } : {}) },
          body: JSON.stringify({
            type: 'threads.create',
            params: { input: { content: [{ type: 'input_text', text: `hello ${project.name}` }], attachments: [], inference_options: {} } },
          }),
        });
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
        const events = (await response.text())
          .split('\n\n')
          .filter((frame) => frame.startsWith('data: '))
          .map((frame) => JSON.parse(frame.slice(6)));
        expect(events[0].type).toBe('thread.created');
        expect(events.filter((event) => event.update?.type === 'assistant_message.content_part.text_delta').length).toBeGreaterThan(0);
        const done = events.find((event) => event.type === 'thread.item.done' && event.item.type === 'assistant_message');
        expect(done.item.content[0].text).toContain(`hello ${project.name}`);
      } finally {
        server.kill('SIGTERM');
        await server;
      }
    }, 600_000);
  }

  for (const project of TYPECHECK_ONLY) {
    it(`${project.name}: type-checks`, async () => {
      const dir = dirOf(project);
      const result = await execa(join(dir, 'node_modules', '.bin', 'tsc'), ['--noEmit', '-p', dir], { cwd: dir, env: baseEnv, reject: false, all: true });
      expect(result.exitCode, result.all).toBe(0);
    }, 300_000);
  }
});
