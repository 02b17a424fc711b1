/**
 * End to end, as a user gets it: build and `npm pack` the CLI, scaffold from
 * the packed files into temp directories, and for each of the four
 * templates install (the runtime from the tarball, the rest from the
 * registry), type-check, run the generated tests, build, boot the server
 * with the scripted model, and stream a reply to a real `threads.create`.
 * Every other option value is covered by a project that type-checks,
 * sharing one install to keep this fast.
 *
 * Slow (several minutes: four `npm install`s); in its own file so it can be
 * run or skipped on its own.
 */
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'ccb-e2e-'));
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const jwtSecret = 'e2e-secret-that-is-long-enough-for-hs256';

/** A clean environment: our Node first on PATH, no inherited npm/CI settings that change behaviour. */
const baseEnv: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries({ ...process.env, PATH: `${join(repo, 'node_modules', '.bin')}${delimiter}${process.env.PATH}` }).filter(
    ([key]) => !key.startsWith('npm_') && !key.startsWith('VITEST') && key !== 'NODE_ENV' && key !== 'CI',
  ),
);

interface Project {
  name: string;
  template: string;
  args: string[];
}

/** The four templates, run for real, spread over the store/auth/frontend values. */
const RUN: Project[] = [
  { name: 'basic', template: 'basic', args: ['--store', 'sqlite', '--auth', 'none', '--frontend', 'react'] },
  { name: 'agent', template: 'agent', args: ['--store', 'memory', '--auth', 'jwt', '--frontend', 'vanilla'] },
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
let cliBin = '';
const dirOf = (project: Project) => join(work, 'projects', project.name);

async function scaffold(project: Project, extra: string[]): Promise<void> {
  await execa(
    process.execPath,
    [cliBin, project.name, '--template', project.template, ...project.args, ...extra, '--package-manager', 'npm', '--no-install', '--no-git', '--no-interactive', '--runtime', `file:${tarball}`],
    { cwd: join(work, 'projects'), env: baseEnv },
  );
}

async function npmInstall(dir: string): Promise<void> {
  await execa('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: dir, env: baseEnv });
}

beforeAll(async () => {
  await execa('npm', ['run', 'build'], { cwd: repo, env: baseEnv });
  const packed = await execa('npm', ['pack', '--json', '--pack-destination', work], { cwd: repo, env: baseEnv });
  tarball = join(work, (JSON.parse(packed.stdout) as { filename: string }[])[0].filename);

  // Run the scaffolder from the packed files (bin, dist, templates exactly as
  // published), with this repository's installed dependencies.
  mkdirSync(join(work, 'cli'));
  await execa('tar', ['-xzf', tarball, '-C', join(work, 'cli')]);
  symlinkSync(join(repo, 'node_modules'), join(work, 'cli', 'package', 'node_modules'), 'dir');
  cliBin = join(work, 'cli', 'package', 'bin', 'create-chatkit-backend.js');

  mkdirSync(join(work, 'projects'));
  await Promise.all([
    ...RUN.map((project) => scaffold(project, ['--provider', 'scripted'])),
    ...TYPECHECK_ONLY.map((project) => scaffold(project, [])),
  ]);
  // Installs run in parallel: they are mostly network and disk.
  await Promise.all(RUN.map((project) => npmInstall(dirOf(project))));
  // The type-check-only projects share the multi-agent install (it has every dependency: agents, zod, jose).
  const shared = join(dirOf(RUN[3]), 'node_modules');
  for (const project of TYPECHECK_ONLY) symlinkSync(shared, join(dirOf(project), 'node_modules'), 'dir');
}, 900_000);

/** What the generated project's own tests and server see. */
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
      // No provider here: `npm start` must read CHATKIT_MODEL_PROVIDER=scripted from the project's .env.
      const { endpoint, server } = await boot(dir, projectEnv({
        PORT: '0',
        NODE_ENV: 'production',
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
