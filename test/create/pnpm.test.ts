/**
 * A project made for pnpm, installed by real pnpm: its strict node_modules
 * (a package sees only what it declares) and its rules (pnpm 11 and later
 * stop an install whose dependencies' build scripts were not decided; `pnpm
 * doctor` is pnpm's own command) are what npm users never meet. From the
 * packed tarball, as `pnpm create chatkit-backend` runs it: the CLI
 * installs with pnpm, then the project's tests, type-check and doctor pass,
 * run the way its README and next steps say.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'ccb-pnpm-'));
const dir = join(work, 'app');
/** Our Node 22 and the pinned pnpm first on PATH, without the npm and vitest settings this run inherits. */
const env: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries({ ...process.env, PATH: `${join(repo, 'node_modules', '.bin')}${delimiter}${process.env.PATH}` }).filter(
    ([key]) => !key.startsWith('npm_') && !key.startsWith('VITEST') && key !== 'NODE_ENV' && key !== 'CI',
  ),
);
let created: { stdout: string; stderr: string };

beforeAll(async () => {
  const tarball = inject('packedTarball');
  mkdirSync(join(work, 'cli'));
  await execa('tar', ['-xzf', tarball, '-C', join(work, 'cli')]);
  const cli = join(work, 'cli', 'package', 'bin', 'create-chatkit-backend.js');
  created = await execa(
    process.execPath,
    [cli, 'app', '--template', 'tools', '--provider', 'scripted', '--store', 'sqlite', '--frontend', 'none', '--package-manager', 'pnpm',
      '--install', '--no-git', '--no-interactive', '--runtime', `file:${tarball}`],
    { cwd: work, env },
  );
}, 600_000);

afterAll(() => rm(work, { recursive: true, force: true }), 120_000);

test('the CLI installs with pnpm, esbuild allowed, and its next steps run doctor with `pnpm run`', () => {
  expect(created.stdout + created.stderr).not.toMatch(/failed|ERR_PNPM/i);
  expect(readFileSync(join(dir, 'pnpm-lock.yaml'), 'utf8')).toContain('esbuild');
  expect(readFileSync(join(dir, 'pnpm-workspace.yaml'), 'utf8')).toContain('esbuild: true');
  expect(created.stdout).toContain('pnpm run doctor');
  expect(created.stdout).not.toMatch(/pnpm doctor/);
  expect(readFileSync(join(dir, '.github', 'workflows', 'ci.yml'), 'utf8')).toContain('run: pnpm run doctor --strict --format github');
});

test('a fresh `pnpm install` of the project (as CI runs it) needs no approval', async () => {
  await rm(join(dir, 'node_modules'), { recursive: true, force: true });
  const install = await execa('pnpm', ['install', '--frozen-lockfile'], { cwd: dir, env: { ...env, CI: 'true' }, reject: false, all: true });
  expect(install.exitCode, install.all).toBe(0);
}, 300_000);

test('under pnpm’s strict layout the project type-checks, passes its tests, and passes doctor', async () => {
  const typecheck = await execa('pnpm', ['run', 'typecheck'], { cwd: dir, env, reject: false, all: true });
  expect(typecheck.exitCode, typecheck.all).toBe(0);
  const tests = await execa('pnpm', ['test'], { cwd: dir, env, reject: false, all: true });
  expect(tests.exitCode, tests.all).toBe(0);
  expect(tests.all).toMatch(/replay\.test\.ts/);
  const doctor = await execa('pnpm', ['run', 'doctor', '--json'], { cwd: dir, env: { ...env, CI: 'true' }, reject: false });
  expect(doctor.exitCode, `${doctor.stdout}\n${doctor.stderr}`).toBe(0);
  const report = JSON.parse(doctor.stdout.slice(doctor.stdout.indexOf('{'))) as { ok: boolean; checks: { id: string; status: string }[] };
  expect(report.ok).toBe(true);
  expect(report.checks.filter((check) => check.status === 'fail')).toEqual([]);
}, 300_000);
