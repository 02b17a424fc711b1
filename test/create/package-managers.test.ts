/**
 * Projects made for pnpm and yarn, installed by the real tools (yarn 4 from
 * our devDependencies; pnpm 12 installed here on first use, since npm cannot
 * lock its per-platform binaries): what npm users never meet. pnpm's strict
 * node_modules (a package sees only what it declares), pnpm 11+ stopping an
 * install whose dependencies' build scripts were not allowed, `pnpm doctor`
 * being pnpm's own command; yarn 2+ installing with Plug'n'Play unless told
 * otherwise, and no package manager but npm installing a missing peer
 * (vitest's vite). From the packed tarball, as `pnpm create` / `yarn create`
 * run it: the CLI installs, then a fresh install as CI does it, the
 * project's type-check, tests and doctor, run the way its next steps say.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'ccb-pms-'));
/** The pnpm tested, installed once into this folder (kept between local runs). */
const PNPM = 'pnpm@12.23.0';
const pnpmDir = join(repo, 'node_modules', '.cache', 'ccb-test-pnpm');
/** pnpm, our Node 22 and yarn first on PATH, without the npm and vitest settings this run inherits. */
const env: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries({
    ...process.env,
    PATH: [join(pnpmDir, 'node_modules', '.bin'), join(repo, 'node_modules', '.bin'), process.env.PATH].join(delimiter),
  }).filter(([key]) => !key.startsWith('npm_') && !key.startsWith('VITEST') && key !== 'NODE_ENV' && key !== 'CI'),
);
let cli = '';
let tarball = '';

beforeAll(async () => {
  if (!existsSync(join(pnpmDir, 'node_modules', 'pnpm', 'package.json')) || !readFileSync(join(pnpmDir, 'package.json'), 'utf8').includes(PNPM.split('@')[1]!)) {
    mkdirSync(pnpmDir, { recursive: true });
    await execa('npm', ['install', '--prefix', pnpmDir, '--save-exact', '--no-audit', '--no-fund', PNPM], { env });
  }
  tarball = inject('packedTarball');
  mkdirSync(join(work, 'cli'));
  await execa('tar', ['-xzf', tarball, '-C', join(work, 'cli')]);
  cli = join(work, 'cli', 'package', 'bin', 'create-chatkit-backend.js');
}, 300_000);

afterAll(() => rm(work, { recursive: true, force: true }), 120_000);

const MANAGERS = [
  {
    name: 'pnpm',
    doctor: 'pnpm run doctor',
    ownFile: ['pnpm-workspace.yaml', 'esbuild: true'],
    lockfile: 'pnpm-lock.yaml',
    frozenInstall: ['install', '--frozen-lockfile'],
  },
  {
    name: 'yarn',
    doctor: 'yarn doctor',
    ownFile: ['.yarnrc.yml', 'nodeLinker: node-modules'],
    lockfile: 'yarn.lock',
    frozenInstall: ['install', '--immutable'],
  },
] as const;

describe.each(MANAGERS)('$name', (manager) => {
  const dir = join(work, manager.name);
  let created: { stdout: string; stderr: string };

  beforeAll(async () => {
    created = await execa(
      process.execPath,
      [cli, manager.name, '--template', 'tools', '--provider', 'scripted', '--store', 'sqlite', '--frontend', 'none',
        '--package-manager', manager.name, '--install', '--no-git', '--no-interactive', '--runtime', `file:${tarball}`],
      // As in CI (where Yarn 2+ will not create a lockfile unless told it may).
      { cwd: work, env: { ...env, CI: 'true' } },
    );
  }, 600_000);

  test('the CLI installs with it, and its next steps and CI run doctor the way it runs scripts', () => {
    expect(created.stdout + created.stderr).not.toMatch(/failed|ERR_PNPM|YN0002/i);
    expect(readFileSync(join(dir, manager.ownFile[0]), 'utf8')).toContain(manager.ownFile[1]);
    expect(readFileSync(join(dir, manager.lockfile), 'utf8')).toContain('vite');
    expect(created.stdout).toContain(manager.doctor);
    expect(readFileSync(join(dir, '.github', 'workflows', 'ci.yml'), 'utf8')).toContain(`run: ${manager.doctor} --strict --format github`);
  });

  test('a fresh install from the lockfile, as CI runs it, needs no approval and leaves a node_modules', async () => {
    await rm(join(dir, 'node_modules'), { recursive: true, force: true });
    const install = await execa(manager.name, manager.frozenInstall, { cwd: dir, env: { ...env, CI: 'true' }, reject: false, all: true });
    expect(install.exitCode, install.all).toBe(0);
    expect(readFileSync(join(dir, 'node_modules', 'vitest', 'package.json'), 'utf8')).toContain('"name": "vitest"');
  }, 300_000);

  test('the project type-checks, passes its tests, and passes doctor', async () => {
    const typecheck = await execa(manager.name, ['run', 'typecheck'], { cwd: dir, env, reject: false, all: true });
    expect(typecheck.exitCode, typecheck.all).toBe(0);
    const tests = await execa(manager.name, ['run', 'test'], { cwd: dir, env, reject: false, all: true });
    expect(tests.exitCode, tests.all).toBe(0);
    expect(tests.all).toMatch(/replay\.test\.ts/);
    const doctor = await execa(manager.name, ['run', 'doctor', '--json'], { cwd: dir, env: { ...env, CI: 'true' }, reject: false });
    expect(doctor.exitCode, `${doctor.stdout}\n${doctor.stderr}`).toBe(0);
    const report = JSON.parse(doctor.stdout.slice(doctor.stdout.indexOf('{'))) as { ok: boolean; checks: { id: string; status: string }[] };
    expect(report.ok).toBe(true);
    expect(report.checks.filter((check) => check.status === 'fail')).toEqual([]);
  }, 300_000);
});
