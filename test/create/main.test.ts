import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { colorEnabled, colorsFor } from '../../src/cli/shared/colors.js';
import { missingPackage, missingPackageMessage } from '../../src/cli/shared/missing-package.js';
import { ownPackageJson } from '../../src/cli/shared/own-package.js';

function capture() {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  return { get stdout() { return stdout; }, get stderr() { return stderr; } };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the entry point', () => {
  it('prints the version from package.json', async () => {
    const out = capture();
    expect(await main(['--version'])).toBe(0);
    expect(out.stdout).toBe(`${ownPackageJson().version}\n`);
  });

  it('sends --help to the default command, whose help lists the other commands', async () => {
    const out = capture();
    expect(await main(['--help'])).toBe(0);
    expect(out.stdout).toContain('Usage: create-chatkit-backend [dir] [options]');
    expect(out.stdout).toMatch(/create-chatkit-backend doctor/);
  });

  it('drops the stray `--` npm forwards', async () => {
    const out = capture();
    expect(await main(['--', '--version'])).toBe(0);
    expect(out.stdout.trim()).toBe(ownPackageJson().version);
  });

  it('returns 2 with a message on stderr for an unknown option', async () => {
    const out = capture();
    expect(await main(['app', '--colour'])).toBe(2);
    expect(out.stderr).toContain("unknown option '--colour'");
  });

  it('loads a named command lazily and passes it the rest of argv', async () => {
    const out = capture();
    expect(await main(['replay', '--help'])).toBe(0);
    expect(out.stdout).toContain('create-chatkit-backend replay');
  });

  it('accepts `create` as an explicit name for the default command', async () => {
    const out = capture();
    expect(await main(['create', '--version'])).toBe(0);
    expect(out.stdout.trim()).toBe(ownPackageJson().version);
  });
});

describe('terminal colour', () => {
  it('is on for a terminal, off when piped or with NO_COLOR', () => {
    expect(colorEnabled({ isTTY: true, env: {} })).toBe(true);
    expect(colorEnabled({ isTTY: false, env: {} })).toBe(false);
    expect(colorEnabled({ isTTY: true, env: { NO_COLOR: '1' } })).toBe(false);
    expect(colorEnabled({ isTTY: false, env: { FORCE_COLOR: '1' } })).toBe(true);
  });

  it('produces plain text when off', () => {
    expect(colorsFor({ isTTY: false }, {}).green('ok')).toBe('ok');
    expect(colorsFor({ isTTY: true }, {}).green('ok')).not.toBe('ok');
  });
});

describe('a package missing from the project', () => {
  it('is named, with the command that installs it, instead of a module-resolution stack', () => {
    const error = Object.assign(new Error("Cannot find package 'tsx' imported from /p/node_modules/create-chatkit-backend/dist/cli/command-X.js"), { code: 'ERR_MODULE_NOT_FOUND' });
    expect(missingPackage(error)).toBe('tsx');
    expect(missingPackage(new Error("Cannot find package 'tsx'"))).toBeUndefined();
    expect(missingPackageMessage('dev', 'tsx')).toMatch(/^error: create-chatkit-backend dev needs the package tsx, which is not installed here\.\nRun npm install in your project/);
  });
});
