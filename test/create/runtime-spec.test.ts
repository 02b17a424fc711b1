/**
 * `--runtime`: a relative path is read from where the command runs and
 * written relative to the project; a spec npm cannot parse is exit 2; the
 * equivalent command repeats it.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { noPrompter } from '../../src/cli/create/prompter.js';
import { resolveSettings } from '../../src/cli/create/resolve-settings.js';
import { equivalentCommand } from '../../src/cli/create/settings.js';
import { ExitError } from '../../src/cli/shared/exit-error.js';

const root = mkdtempSync(join(tmpdir(), 'ccb-runtime-'));
const work = join(root, 'work');
mkdirSync(join(work, 'vendor'), { recursive: true });
writeFileSync(join(work, 'vendor', 'rt.tgz'), 'not really a tarball');
writeFileSync(join(root, 'up.tgz'), '');

const resolveWith = (directory: string, runtime: string) =>
  resolveSettings({ flags: { directory, runtime }, cwd: work, env: {}, interactive: false, prompt: noPrompter, version: '1.2.3' });

async function refusal(promise: Promise<unknown>): Promise<ExitError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  if (!(error instanceof ExitError)) throw new Error(`expected an ExitError, got ${String(error)}`);
  return error;
}

describe('--runtime', () => {
  it('reads a relative file: spec from the current directory and writes it relative to the project', async () => {
    expect((await resolveWith('app', 'file:vendor/rt.tgz')).runtimeSpec).toBe('file:../vendor/rt.tgz');
    expect((await resolveWith('app', './vendor/rt.tgz')).runtimeSpec).toBe('file:../vendor/rt.tgz');
    expect((await resolveWith('nested/deeper/app', '../up.tgz')).runtimeSpec).toBe('file:../../../../up.tgz');
    expect((await resolveWith(join(root, 'elsewhere'), 'file:../up.tgz')).runtimeSpec).toBe('file:../up.tgz');
    // An absolute path stays absolute (the project may be cloned elsewhere, as CI does).
    expect((await resolveWith('app', `file:${join(root, 'up.tgz')}`)).runtimeSpec).toBe(`file:${join(root, 'up.tgz')}`);
    expect((await resolveWith('app', join(work, 'vendor', 'rt.tgz'))).runtimeSpec).toBe(`file:${join(work, 'vendor', 'rt.tgz')}`);
    // A directory (a checkout) works the same way.
    expect((await resolveWith('app', 'file:./vendor')).runtimeSpec).toBe('file:../vendor');
  });

  it('passes registry ranges, tags and git specs through unchanged', async () => {
    for (const spec of ['^1.2.3', '1.2.3', 'latest', 'next', 'github:acme/create-chatkit-backend#main', 'https://example.test/x.tgz']) {
      expect((await resolveWith('app', spec)).runtimeSpec, spec).toBe(spec);
    }
  });

  it('refuses a spec npm cannot parse with exit 2, and a path that is not there', async () => {
    const bad = await refusal(resolveWith('app', '^^1'));
    expect(bad.exitCode).toBe(2);
    expect(bad.message).toMatch(/^error: --runtime \^\^1 is not something npm can install \(Invalid tag name/);
    expect(bad.message).toMatch(/file:\.\.\/create-chatkit-backend-1\.2\.3\.tgz/);
    const missing = await refusal(resolveWith('app', 'file:vendor/nope.tgz'));
    expect(missing.exitCode).toBe(2);
    expect(missing.message).toContain(`${join(work, 'vendor', 'nope.tgz')} does not exist`);
    expect(missing.message).toContain(`from the directory you run this command in (${work})`);
  });

  it('is repeated, as typed, by the equivalent command', async () => {
    expect(equivalentCommand(await resolveWith('app', 'file:vendor/rt.tgz'))).toContain(' --runtime file:vendor/rt.tgz ');
    expect(equivalentCommand(await resolveWith('app', '^1.2.3'))).toContain(" --runtime '^1.2.3' ");
    expect(equivalentCommand(await resolveWith('app', 'latest'))).toContain(' --runtime latest ');
  });
});
