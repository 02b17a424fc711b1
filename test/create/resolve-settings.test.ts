import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CreateFlags } from '../../src/cli/create/flags.js';
import { noPrompter, PromptCancelled, type Prompter } from '../../src/cli/create/prompter.js';
import { resolveSettings } from '../../src/cli/create/resolve-settings.js';
import { equivalentCommand } from '../../src/cli/create/settings.js';
import { ExitError } from '../../src/cli/shared/exit-error.js';
import { scriptedPrompter } from './helpers.js';

const cwd = mkdtempSync(join(tmpdir(), 'ccb-settings-'));

function resolveWith(flags: CreateFlags, prompt: Prompter = noPrompter, interactive = prompt !== noPrompter) {
  return resolveSettings({ flags, cwd, env: {}, interactive, prompt, version: '1.2.3' });
}

async function failure(promise: Promise<unknown>): Promise<ExitError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ExitError) return error;
    throw error;
  }
  throw new Error('expected an ExitError');
}

describe('resolving settings without prompts', () => {
  it('fills everything not given with the documented defaults', async () => {
    const settings = await resolveWith({ directory: 'fresh-app' });
    expect(settings).toMatchObject({
      targetDir: join(cwd, 'fresh-app'),
      displayDir: 'fresh-app',
      packageName: 'fresh-app',
      template: 'tools',
      provider: 'openai',
      model: 'gpt-4.1-mini',
      store: 'sqlite',
      auth: 'none',
      attachments: 'local',
      frontend: 'react',
      port: 8000,
      packageManager: 'npm',
      install: true,
      git: true,
      emptyTargetFirst: false,
      runtimeSpec: '^1.2.3',
      dryRun: false,
    });
  });

  it('needs a directory unless --yes, and says how to give one', async () => {
    const error = await failure(resolveWith({}));
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/no project directory/);
    expect(error.message).toMatch(/--no-interactive/);
    expect((await resolveWith({ yes: true })).displayDir).toBe('chatkit-backend');
  });

  it('needs --base-url for openai-compatible, and refuses it for other providers', async () => {
    expect((await failure(resolveWith({ directory: 'x', provider: 'openai-compatible' }))).message).toMatch(/--base-url <url>/);
    expect((await failure(resolveWith({ directory: 'x', provider: 'openai', baseUrl: 'http://h/v1' }))).message).toMatch(/only used with --provider openai-compatible/);
  });

  it('lists the npm naming problems of an invalid directory name (exit 2)', async () => {
    const error = await failure(resolveWith({ directory: 'My App' }));
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('"My App" is not a valid npm package name');
    expect(error.message).toContain('--name my-app');
  });

  it('takes the package name from --name, keeping the directory', async () => {
    const settings = await resolveWith({ directory: 'My App', name: 'my-app' });
    expect(settings).toMatchObject({ displayDir: 'My App', packageName: 'my-app' });
    expect(equivalentCommand(settings)).toContain("create-chatkit-backend 'My App' --name my-app --template");
    expect(equivalentCommand(await resolveWith({ directory: 'plain-app' }))).not.toContain('--name');
    // The detected package manager is spelled out: a rerun through npx would otherwise pick npm.
    expect(equivalentCommand(await resolveWith({ directory: 'pm-app', packageManager: 'pnpm' }))).toContain('--package-manager pnpm');
  });

  it('refuses a non-empty directory unless --overwrite (exit 1), ignoring .git', async () => {
    const dir = join(cwd, 'busy');
    mkdirSync(join(dir, '.git'), { recursive: true });
    expect((await resolveWith({ directory: 'busy' })).emptyTargetFirst).toBe(false);
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const error = await failure(resolveWith({ directory: 'busy' }));
    expect(error.exitCode).toBe(1);
    expect(error.message).toContain('notes.txt');
    expect(error.message).toContain('--overwrite');
    expect((await resolveWith({ directory: 'busy', overwrite: true })).emptyTargetFirst).toBe(true);
  });

  it('accepts "." and names the package after the current directory', async () => {
    const dir = join(cwd, 'dot-project');
    mkdirSync(dir);
    const settings = await resolveSettings({ flags: { directory: '.' }, cwd: dir, env: {}, interactive: false, prompt: noPrompter, version: '1.2.3' });
    expect(settings).toMatchObject({ targetDir: dir, displayDir: '.', packageName: 'dot-project' });
  });

  it('uses the package manager that ran it', async () => {
    const settings = await resolveSettings({
      flags: { directory: 'x' }, cwd, env: { npm_config_user_agent: 'pnpm/9.0.0 node/v22' }, interactive: false, prompt: noPrompter, version: '1',
    });
    expect(settings.packageManager).toBe('pnpm');
  });
});

describe('resolving settings with prompts', () => {
  it('asks every question a flag did not answer, and only those', async () => {
    const prompt = scriptedPrompter([
      ['Which template', 'multi-agent'],
      ['Which model provider', 'openai-compatible'],
      ['Model id', 'qwen3'],
      ['Base URL', 'http://localhost:1234/v1'],
      ['stored', 'memory'],
      ['Authentication', 'jwt'],
      ['uploaded files', 's3'],
      ['Frontend', 'none'],
      ['git', false],
    ]);
    const settings = await resolveWith({ directory: 'asked', install: false }, prompt);
    expect(settings).toMatchObject({
      template: 'multi-agent', provider: 'openai-compatible', model: 'qwen3', baseUrl: 'http://localhost:1234/v1',
      store: 'memory', auth: 'jwt', attachments: 's3', frontend: 'none', install: false, git: false,
    });
    expect(prompt.asked.some((question) => question.includes('Install'))).toBe(false);
    expect(prompt.asked.some((question) => question.includes('Where should the project'))).toBe(false);
  });

  it('turns Ctrl-C at any question into PromptCancelled', async () => {
    const prompt = scriptedPrompter([['Which template', 'CANCEL']]);
    await expect(resolveWith({ directory: 'x' }, prompt)).rejects.toBeInstanceOf(PromptCancelled);
  });

  it('defaults to cancelling on a non-empty directory, and asks for confirmation before removing', async () => {
    const dir = join(cwd, 'occupied');
    mkdirSync(dir);
    writeFileSync(join(dir, 'keep.txt'), 'x');
    await expect(resolveWith({ directory: 'occupied' }, scriptedPrompter([['not empty', 'cancel']]))).rejects.toBeInstanceOf(PromptCancelled);
    await expect(
      resolveWith({ directory: 'occupied' }, scriptedPrompter([['not empty', 'overwrite'], ['Delete 1 existing entry', false]])),
    ).rejects.toBeInstanceOf(PromptCancelled);
    const prompt = scriptedPrompter([
      ['not empty', 'overwrite'], ['Delete', true], ['template', 'basic'], ['provider', 'scripted'], ['stored', 'sqlite'],
      ['Authentication', 'none'], ['uploaded files', 'local'], ['Frontend', 'react'], ['Install', false], ['git', false],
    ]);
    expect((await resolveWith({ directory: 'occupied' }, prompt)).emptyTargetFirst).toBe(true);
  });

  it('offers a fixed package name for an invalid directory name', async () => {
    const prompt = scriptedPrompter([
      ['not a valid package name', 'my-app'], ['template', 'basic'], ['provider', 'scripted'], ['stored', 'memory'],
      ['Authentication', 'none'], ['uploaded files', 'local'], ['Frontend', 'none'], ['Install', false], ['git', false],
    ]);
    const settings = await resolveWith({ directory: 'My App' }, prompt);
    expect(settings.packageName).toBe('my-app');
    expect(settings.displayDir).toBe('My App');
  });
});
