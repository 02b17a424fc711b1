/**
 * `git init` plus a first commit. Skipped (not failed) when git is missing,
 * when the target is already inside a work tree (a monorepo), or when
 * `.git` exists; an existing repository is never replaced.
 */
import { join } from 'node:path';
import type { StepResult } from './install.js';
import { pathExists } from './path-exists.js';
import { describeExit, runCommand } from './run-command.js';

export type GitResult = StepResult | { ok: 'skipped'; reason: string };

const COMMIT_IDENTITY = ['-c', 'user.name=create-chatkit-backend', '-c', 'user.email=create-chatkit-backend@users.noreply.github.com'];

export async function initGit(dir: string): Promise<GitResult> {
  if (await pathExists(join(dir, '.git'))) return { ok: 'skipped', reason: 'a .git directory already exists' };
  const git = (...args: string[]) => runCommand('git', args, { cwd: dir });
  try {
    const inside = await git('rev-parse', '--is-inside-work-tree');
    if (inside.exitCode === 0 && inside.stdout.trim() === 'true') return { ok: 'skipped', reason: 'the directory is already inside a git work tree' };
    const steps: [name: string, args: string[]][] = [
      ['init', ['init', '--quiet']],
      ['add', ['add', '--all']],
      ['commit', [...COMMIT_IDENTITY, 'commit', '--quiet', '--no-verify', '-m', 'Initial commit from create-chatkit-backend']],
    ];
    for (const [name, args] of steps) {
      const result = await git(...args);
      if (result.exitCode !== 0) return { ok: false, reason: `git ${name} failed (${describeExit(result)}): ${result.stderr.trim()}` };
    }
    return { ok: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ok: 'skipped', reason: 'git is not installed' };
    return { ok: false, reason: (error as Error).message };
  }
}
