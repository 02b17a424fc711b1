import { describe, expect, it } from 'vitest';
import { isCI, shouldPrompt } from '../../src/cli/create/interactivity.js';
import { detectPackageManager } from '../../src/cli/create/package-manager.js';

const tty = { stdinIsTTY: true, stdoutIsTTY: true };

describe('when the scaffolder asks questions', () => {
  it('asks on a terminal outside CI when no answer was given as a flag', () => {
    expect(shouldPrompt({}, tty, {})).toBe(true);
    expect(shouldPrompt({ directory: 'app' }, tty, {})).toBe(true);
  });

  it('keeps asking after flags that answer no question (--dry-run, --runtime)', () => {
    expect(shouldPrompt({ dryRun: true }, tty, {})).toBe(true);
    expect(shouldPrompt({ runtime: 'file:../create-chatkit-backend.tgz' }, tty, {})).toBe(true);
  });

  it('never asks without a terminal on both ends, or in CI', () => {
    expect(shouldPrompt({}, { stdinIsTTY: false, stdoutIsTTY: true }, {})).toBe(false);
    expect(shouldPrompt({}, { stdinIsTTY: true, stdoutIsTTY: false }, {})).toBe(false);
    expect(shouldPrompt({}, tty, { CI: 'true' })).toBe(false);
    expect(shouldPrompt({}, tty, { CI: '1' })).toBe(false);
  });

  it('treats CI=false and CI=0 as not CI', () => {
    expect(isCI({ CI: 'false' })).toBe(false);
    expect(isCI({ CI: '0' })).toBe(false);
    expect(isCI({ CI: 'FALSE' })).toBe(false);
    expect(isCI({})).toBe(false);
  });

  it('stops asking once any answer is given as a flag, or with --yes', () => {
    expect(shouldPrompt({ template: 'agent' }, tty, {})).toBe(false);
    expect(shouldPrompt({ install: false }, tty, {})).toBe(false);
    expect(shouldPrompt({ yes: true }, tty, {})).toBe(false);
  });

  it('lets --interactive and --no-interactive override everything', () => {
    expect(shouldPrompt({ interactive: true, template: 'agent' }, { stdinIsTTY: false, stdoutIsTTY: false }, { CI: '1' })).toBe(true);
    expect(shouldPrompt({ interactive: false }, tty, {})).toBe(false);
  });
});

describe('package manager detection', () => {
  it('reads npm_config_user_agent', () => {
    expect(detectPackageManager({ npm_config_user_agent: 'pnpm/9.12.0 npm/? node/v22.12.0 linux x64' })).toBe('pnpm');
    expect(detectPackageManager({ npm_config_user_agent: 'yarn/1.22.22 npm/? node/v22.12.0' })).toBe('yarn');
    expect(detectPackageManager({ npm_config_user_agent: 'bun/1.1.0 npm/? node/v22.12.0' })).toBe('bun');
    expect(detectPackageManager({ npm_config_user_agent: 'npm/10.9.0 node/v22.12.0' })).toBe('npm');
    expect(detectPackageManager({})).toBe('npm');
  });
});
