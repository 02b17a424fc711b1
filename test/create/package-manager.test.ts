import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { askPackageManagerVersion } from '../../src/cli/create/ask-package-manager-version.js';
import { ciInstallCommand, packageManagerVersionFromAgent, parseVersionOutput, pinnedInCI } from '../../src/cli/create/package-manager.js';

describe('the package manager version', () => {
  it('is read from the user agent only when the agent is that package manager, with a plain version', () => {
    const agent = (value: string) => ({ npm_config_user_agent: value });
    expect(packageManagerVersionFromAgent(agent('pnpm/12.23.0 npm/? node/v22.12.0 linux x64'), 'pnpm')).toBe('12.23.0');
    expect(packageManagerVersionFromAgent(agent('yarn/4.18.1 npm/? node/v22.12.0 linux x64'), 'yarn')).toBe('4.18.1');
    expect(packageManagerVersionFromAgent(agent('npm/11.19.1 node/v20.20.2 linux x64 workspaces/false'), 'pnpm')).toBeUndefined();
    expect(packageManagerVersionFromAgent(agent('pnpm/12.0.0-beta.1 npm/? node/v22'), 'pnpm')).toBeUndefined();
    expect(packageManagerVersionFromAgent({}, 'yarn')).toBeUndefined();
  });

  it('is taken from `--version` output only when that is a plain version', () => {
    expect(parseVersionOutput('9.15.0\n')).toBe('9.15.0');
    expect(parseVersionOutput('Corepack is about to download https://…\n? Do you want to continue? [Y/n]')).toBeUndefined();
    expect(parseVersionOutput('')).toBeUndefined();
  });
});

describe('asking the package manager', () => {
  it('reads a plain version, and gives up on a missing, failing or odd program', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'ccb-pm-bin-'));
    const fake = (name: string, script: string) => {
      writeFileSync(join(bin, name), `#!/bin/sh\n${script}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    const path = process.env.PATH;
    process.env.PATH = `${bin}${delimiter}/usr/bin${delimiter}/bin`;
    try {
      fake('pnpm', 'echo 12.23.0');
      expect(await askPackageManagerVersion('pnpm', bin)).toBe('12.23.0');
      fake('yarn', 'echo "Corepack must download yarn" >&2; exit 1');
      expect(await askPackageManagerVersion('yarn', bin)).toBeUndefined();
      fake('pnpm', 'echo "? Do you want to continue? [Y/n]"');
      expect(await askPackageManagerVersion('pnpm', bin)).toBeUndefined();
      rmSync(join(bin, 'yarn'));
      expect(await askPackageManagerVersion('yarn', bin)).toBeUndefined();
    } finally {
      process.env.PATH = path;
      rmSync(bin, { recursive: true, force: true });
    }
  });
});

describe('CI', () => {
  it('installs from the lockfile, with pnpm and yarn at the version that made it', () => {
    expect(ciInstallCommand('npm')).toBe('npm ci');
    expect(ciInstallCommand('bun')).toBe('bun install --frozen-lockfile');
    // Both install from the lockfile by themselves when CI is set (Yarn 1 does not know --immutable).
    expect(ciInstallCommand('pnpm')).toBe('pnpm install');
    expect(ciInstallCommand('yarn')).toBe('yarn install');
    expect(['npm', 'pnpm', 'yarn', 'bun'].filter((pm) => pinnedInCI(pm as 'npm'))).toEqual(['pnpm', 'yarn']);
  });
});
