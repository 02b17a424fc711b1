/**
 * `git init` plus a first commit. Skipped (not failed) when git is missing,
 * when the target is already inside a work tree (a monorepo), or when
 * `.git` exists; an existing repository is never replaced.
 */
import { join } from 'node:path';
import type { StepResult } from './install.js';
import { pathExists } from './path-exists.js';

export type GitResult = StepResult | { ok: 'skipped'; reason: string };

export async function initGit(dir: string): Promise<GitResult> {
  const { execa } = await import('execa');
  if (await pathExists(join(dir, '.git'))) return { ok: 'skipped', reason: 'a .git directory already exists' };
  try {
    const inside = await execa('git', ['rev-parse', '--is-inside-work-tree'], { cwd: dir, reject: false });
    if (inside.exitCode === 0 && inside.stdout.trim() === 'true') return { ok: 'skipped', reason: 'the directory is already inside a git work tree' };
    await execa('git', ['init', '--quiet'], { cwd: dir });
    await execa('git', ['add', '--all'], { cwd: dir });
    const commit = await execa(
      'git',
      ['-c', 'user.name=create-chatkit-backend', '-c', 'user.email=create-chatkit-backend@users.noreply.github.com', 'commit', '--quiet', '--no-verify', '-m', 'Initial commit from create-chatkit-backend'],
      { cwd: dir, reject: false },
    );
    if (commit.exitCode !== 0) return { ok: false, reason: `git commit failed: ${commit.stderr.trim()}` };
    return { ok: true };
  } catch (error) {
    const failure = error as { code?: string; shortMessage?: string; message: string };
    if (failure.code === 'ENOENT') return { ok: 'skipped', reason: 'git is not installed' };
    return { ok: false, reason: failure.shortMessage ?? failure.message };
  }
}
