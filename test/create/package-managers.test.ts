/**
 * Projects made for pnpm, yarn and bun, installed by the real tools (yarn 4
 * from our devDependencies; pnpm 12 and bun installed here on first use,
 * since npm cannot lock their per-platform binaries): what npm users never
 * meet. pnpm's strict node_modules (a package sees only what it declares),
 * pnpm 11+ stopping an install whose dependencies' build scripts were not
 * allowed, `pnpm doctor` being pnpm's own command; yarn 2+ installing with
 * Plug'n'Play unless told otherwise, and no package manager but npm
 * installing a missing peer (vitest's vite); `bun test` being bun's own
 * runner. From the packed tarball, as `pnpm create` / `yarn create` /
 * `bun create` run it (their user agent says which version ran it, and the
 * project's CI sets up that version): the CLI installs, then a
 * fresh install as CI does it, the project's type-check, tests and doctor,
 * run the way its next steps say.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { installedTool } from '../support/installed-tool.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'ccb-pms-'));
/** Our Node 22 and yarn first on PATH (pnpm and bun are put before them once installed), without the npm and vitest settings this run inherits. */
const env: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries({ ...process.env, PATH: [join(repo, 'node_modules', '.bin'), process.env.PATH].join(delimiter) }).filter(
    ([key]) => !key.startsWith('npm_') && !key.startsWith('VITEST') && key !== 'NODE_ENV' && key !== 'CI',
  ),
);
let cli = '';
let tarball = '';

beforeAll(async () => {
  // Tools npm cannot lock (test/support/installed-tool.ts).
  for (const name of ['pnpm', 'bun'] as const) env.PATH = `${await installedTool(name, env)}${delimiter}${env.PATH}`;
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
    // pnpm 12 locks a packageManager field as a dependency of its own: pinned in the workflow instead.
    pin: (version: string) => ({ packageJson: undefined, workflow: `uses: pnpm/action-setup@v4\n        with:\n          version: ${version}\n` }),
  },
  {
    name: 'yarn',
    doctor: 'yarn doctor',
    ownFile: ['.yarnrc.yml', 'nodeLinker: node-modules'],
    lockfile: 'yarn.lock',
    frozenInstall: ['install', '--immutable'],
    pin: (version: string) => ({ packageJson: `yarn@${version}`, workflow: 'run: corepack enable\n' }),
  },
  {
    name: 'bun',
    doctor: 'bun run doctor',
    ownFile: undefined,
    lockfile: 'bun.lock',
    frozenInstall: ['install', '--frozen-lockfile'],
    pin: () => ({ packageJson: undefined, workflow: 'uses: oven-sh/setup-bun@v2\n' }),
  },
] as const;

describe.each(MANAGERS)('$name', (manager) => {
  const dir = join(work, manager.name);
  let created: { stdout: string; stderr: string };

  let version = '';

  beforeAll(async () => {
    version = (await execa(manager.name, ['--version'], { env })).stdout.trim();
    created = await execa(
      process.execPath,
      [cli, manager.name, '--template', 'tools', '--provider', 'scripted', '--store', 'sqlite', '--frontend', 'none',
        '--package-manager', manager.name, '--install', '--no-git', '--no-interactive', '--runtime', `file:${tarball}`],
      // As in CI (where Yarn 2+ will not create a lockfile unless told it may).
      // `pnpm create` and friends say who ran the CLI in the user agent, with their version.
      { cwd: work, env: { ...env, CI: 'true', npm_config_user_agent: `${manager.name}/${version} npm/? node/${process.version} ${process.platform} ${process.arch}` } },
    );
  }, 600_000);

  test('the CLI installs with it, and its next steps and CI run doctor the way it runs scripts', () => {
    expect(created.stdout + created.stderr).not.toMatch(/failed|ERR_PNPM|YN0002|error:/i);
    if (manager.ownFile) expect(readFileSync(join(dir, manager.ownFile[0]), 'utf8')).toContain(manager.ownFile[1]);
    expect(readFileSync(join(dir, manager.lockfile), 'utf8')).toContain('vite');
    expect(created.stdout).toContain(manager.doctor);
    expect(readFileSync(join(dir, '.github', 'workflows', 'ci.yml'), 'utf8')).toContain(`run: ${manager.doctor} --strict --format github`);
    // CI sets up this very version (corepack, without the pin, would bring its default: Yarn 1 for yarn).
    const pin = manager.pin(version);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { packageManager?: string };
    expect(pkg.packageManager).toBe(pin.packageJson);
    expect(readFileSync(join(dir, '.github', 'workflows', 'ci.yml'), 'utf8')).toContain(pin.workflow);
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
