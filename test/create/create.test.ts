import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProject } from '../../src/cli/create/create.js';
import { initGit } from '../../src/cli/create/git.js';
import { noPrompter } from '../../src/cli/create/prompter.js';
import { PackError } from '../../src/cli/create/source-checkout.js';
import { ExitError } from '../../src/cli/shared/exit-error.js';
import { memoryOutput } from '../../src/cli/shared/output.js';
import { scriptedPrompter } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'ccb-create-'));

describe('createProject', () => {
  it('writes nothing on --dry-run and prints the plan and the equivalent command', async () => {
    const output = memoryOutput();
    const result = await createProject({ flags: { directory: 'dry', dryRun: true }, cwd: root, env: {}, interactive: false, prompt: noPrompter, output });
    expect(result.written).toBe(false);
    expect(existsSync(join(root, 'dry'))).toBe(false);
    const printed = output.lines.join('\n');
    expect(printed).toContain('write src/app.ts');
    expect(printed).toContain('create-chatkit-backend dry --template tools --provider openai');
  });

  it('treats a failed install as a warning with the command to run', async () => {
    const output = memoryOutput();
    const result = await createProject({
      flags: { directory: 'install-fails', git: false },
      cwd: root,
      env: {},
      interactive: false,
      prompt: noPrompter,
      output,
      install: async () => ({ ok: false, reason: 'network unreachable' }),
    });
    expect(result.written).toBe(true);
    expect(result.installFailed).toBe(true);
    expect(output.errors.join('\n')).toMatch(/network unreachable[\s\S]*run npm install in install-fails/);
    expect(output.lines.join('\n')).toContain('npm install');
    expect(JSON.parse(readFileSync(join(root, 'install-fails', 'package.json'), 'utf8')).name).toBe('install-fails');
  });

  it('maps a cancelled prompt to exit 130 without writing', async () => {
    const error = await createProject({
      flags: { directory: 'cancelled' },
      cwd: root,
      env: {},
      interactive: true,
      prompt: scriptedPrompter([['template', 'CANCEL']]),
      output: memoryOutput(),
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ExitError);
    expect((error as ExitError).exitCode).toBe(130);
    expect(existsSync(join(root, 'cancelled'))).toBe(false);
  });
});

describe('the package manager pinned for CI', () => {
  it('comes from the user agent, else from asking pnpm or yarn; only yarn goes into package.json (for corepack)', async () => {
    const cases = [
      { directory: 'pm-agent', packageManager: 'yarn', env: { npm_config_user_agent: 'yarn/4.17.0 npm/? node/v22.12.0 linux x64' }, expected: 'yarn@4.17.0', asks: 0 },
      { directory: 'pm-asked', packageManager: 'yarn', env: {}, expected: 'yarn@4.18.1', asks: 1 },
      { directory: 'pm-pnpm', packageManager: 'pnpm', env: {}, expected: undefined, asks: 1 },
      { directory: 'pm-npm', packageManager: 'npm', env: {}, expected: undefined, asks: 0 },
      { directory: 'pm-bun', packageManager: 'bun', env: {}, expected: undefined, asks: 0 },
    ] as const;
    for (const { directory, packageManager, env, expected, asks } of cases) {
      const asked: string[] = [];
      const packageManagerVersion = async (name: string) => {
        asked.push(name);
        return '4.18.1';
      };
      await createProject({
        flags: { directory, packageManager, install: false, git: false },
        cwd: root,
        env,
        interactive: false,
        prompt: noPrompter,
        output: memoryOutput(),
        packageManagerVersion,
      });
      expect(asked, directory).toHaveLength(asks);
      expect(JSON.parse(readFileSync(join(root, directory, 'package.json'), 'utf8')).packageManager, directory).toBe(expected);
    }
  });
});

describe('the Node the project needs', () => {
  it('is announced before installing on an older Node, so the engine warnings that follow are expected', async () => {
    for (const [nodeVersion, expected] of [['v20.20.2', true], ['v22.12.0', false]] as const) {
      const output = memoryOutput();
      const seen: string[] = [];
      const install = async () => {
        seen.push(output.lines.join('\n'));
        return { ok: true } as const;
      };
      await createProject({ flags: { directory: `install-${nodeVersion}`, git: false }, cwd: root, env: {}, interactive: false, prompt: noPrompter, output, nodeVersion, install });
      expect(seen).toHaveLength(1);
      expect(seen[0]!.includes(`Installing on Node ${nodeVersion}: expect warnings that packages need Node 22.12 or later (EBADENGINE)`), nodeVersion).toBe(expected);
    }
  });

  it('is stated after scaffolding on an older Node, and not on Node 22.12+', async () => {
    for (const [nodeVersion, expected] of [['v20.20.2', true], ['v22.12.0', false]] as const) {
      const output = memoryOutput();
      await createProject({ flags: { directory: `node-${nodeVersion}`, install: false, git: false }, cwd: root, env: {}, interactive: false, prompt: noPrompter, output, nodeVersion });
      expect(output.lines.join('\n').includes(`The project needs Node 22.12 or later to run (this is Node ${nodeVersion})`), nodeVersion).toBe(expected);
    }
  });
});

describe('from a source checkout', () => {
  it("depends on the checkout's packed build, written relative to the project", async () => {
    const tarball = join(root, 'checkout', '.pack', 'create-chatkit-backend-9.9.9-0123456789ab.tgz');
    mkdirSync(dirname(tarball), { recursive: true });
    writeFileSync(tarball, '');
    const output = memoryOutput();
    await createProject({ flags: { directory: 'from-checkout', install: false, git: false }, cwd: root, env: {}, interactive: false, prompt: noPrompter, output, packRuntime: async () => tarball });
    const pkg = JSON.parse(readFileSync(join(root, 'from-checkout', 'package.json'), 'utf8'));
    expect(pkg.dependencies['create-chatkit-backend']).toBe('file:../checkout/.pack/create-chatkit-backend-9.9.9-0123456789ab.tgz');
    expect(output.lines.join('\n')).toContain(`Running from a source checkout: the project depends on its build, packed as ${tarball}`);
  });

  it('stops before writing when the checkout cannot be packed; --runtime skips packing', async () => {
    const error = await createProject({
      flags: { directory: 'unpacked', install: false, git: false }, cwd: root, env: {}, interactive: false, prompt: noPrompter, output: memoryOutput(),
      packRuntime: async () => { throw new PackError('this checkout has no build of the runtime (dist/runtime): run npm run build first'); },
    }).catch((caught: unknown) => caught);
    expect((error as ExitError).exitCode).toBe(1);
    expect((error as ExitError).message).toMatch(/could not pack this checkout.*run npm run build first\nNothing was written\.$/s);
    expect(existsSync(join(root, 'unpacked'))).toBe(false);
    await createProject({
      flags: { directory: 'given-runtime', install: false, git: false, runtime: 'latest' }, cwd: root, env: {}, interactive: false, prompt: noPrompter, output: memoryOutput(),
      packRuntime: async () => { throw new Error('must not pack when --runtime is given'); },
    });
    expect(JSON.parse(readFileSync(join(root, 'given-runtime', 'package.json'), 'utf8')).dependencies['create-chatkit-backend']).toBe('latest');
  });
});

describe('the command line', () => {
  it('exits 1 when the install fails in a non-interactive run, keeping the files and printing the command to finish', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ccb-install-fails-'));
    const runCli = fileURLToPath(new URL('./fixtures/run-cli.ts', import.meta.url));
    const tsxLoader = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
    // No npm (and no git) on PATH: the install cannot start.
    const result = spawnSync(process.execPath, ['--import', tsxLoader, runCli, 'app', '--template', 'basic', '--provider', 'scripted', '--package-manager', 'npm', '--no-interactive'], {
      cwd,
      env: { PATH: join(cwd, 'no-tools-here'), NO_COLOR: '1' },
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toContain('Installing dependencies failed (npm was not found on PATH)');
    expect(result.stderr).toContain('run npm install in app to finish');
    expect(result.stdout).toMatch(/Next steps:\n  cd app\n  npm install\n/);
    expect(existsSync(join(cwd, 'app', 'src', 'app.ts'))).toBe(true);
  });
});

describe('git init', () => {
  it('creates a repository with one commit holding the files', async () => {
    const dir = join(root, 'with-git');
    await createProject({ flags: { directory: 'with-git', install: false, template: 'basic' }, cwd: root, env: {}, interactive: false, prompt: noPrompter, output: memoryOutput() });
    const log = execFileSync('git', ['log', '--oneline'], { cwd: dir, encoding: 'utf8' });
    expect(log.trim().split('\n')).toHaveLength(1);
    const tracked = execFileSync('git', ['ls-files'], { cwd: dir, encoding: 'utf8' });
    expect(tracked).toContain('src/app.ts');
    expect(tracked).not.toMatch(/^\.env$/m);
  });

  it('skips a directory inside another work tree', async () => {
    const dir = join(root, 'with-git', 'nested');
    mkdirSync(dir);
    expect(await initGit(dir)).toMatchObject({ ok: 'skipped' });
    expect(existsSync(join(dir, '.git'))).toBe(false);
  });
});
