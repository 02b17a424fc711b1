/**
 * Tools the tests run that npm cannot lock as devDependencies (pnpm, bun and
 * deno ship per-platform binaries), installed from the npm registry on first
 * use into node_modules/.cache (kept between local runs). Test files run in
 * parallel: each install goes to a scratch folder renamed into place, so
 * two files asking at once never see half an install.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const cache = fileURLToPath(new URL('../../node_modules/.cache/', import.meta.url));

/** The versions tested, one place for every test file. */
export const TOOL_VERSIONS = { pnpm: '12.23.0', bun: '1.4.5', deno: '2.9.6', wrangler: '4.164.0' } as const;
export type Tool = keyof typeof TOOL_VERSIONS;

/** The folder holding `name`'s executables (`<dir>/node_modules/.bin`), installing it there first if needed. */
export async function installedTool(name: Tool, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const version = TOOL_VERSIONS[name];
  const dir = join(cache, `ccb-test-${name}-${version}`);
  const bin = join(dir, 'node_modules', '.bin');
  if (existsSync(join(bin, name))) return bin;
  await mkdir(cache, { recursive: true });
  const scratch = await mkdtemp(join(cache, `ccb-test-${name}-tmp-`));
  try {
    await execa('npm', ['install', '--prefix', scratch, '--save-exact', '--no-audit', '--no-fund', `${name}@${version}`], { env });
    await rename(scratch, dir).catch((error: NodeJS.ErrnoException) => {
      // Another file installed it meanwhile: theirs is as good as ours.
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return bin;
}
