/**
 * Per-test copies of test/fixtures/project, so tests can edit its source.
 * Copies live in test/fixtures/project/tmp/<id>/ (inside the repository, so
 * bare imports like `openai` still resolve to the repository's node_modules),
 * with the fixture's relative imports of the runtime rewritten for the deeper
 * location.
 */
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';

export const FIXTURE_DIR = resolve(import.meta.dirname, '../../fixtures/project');

export interface FixtureCopy {
  root: string;
  edit(file: string, change: (text: string) => string): Promise<void>;
  remove(): Promise<void>;
}

export async function copyFixture(): Promise<FixtureCopy> {
  const root = join(FIXTURE_DIR, 'tmp', randomBytes(4).toString('hex'));
  await mkdir(root, { recursive: true });
  for (const name of ['package.json', 'tsconfig.json']) await cp(join(FIXTURE_DIR, name), join(root, name));
  // Committed as fixture.env because .env files are ignored by git.
  await cp(join(FIXTURE_DIR, 'fixture.env'), join(root, '.env'));
  await mkdir(join(root, 'src'));
  for (const name of await readdir(join(FIXTURE_DIR, 'src'))) {
    const text = await readFile(join(FIXTURE_DIR, 'src', name), 'utf8');
    // Two directories deeper than the original.
    await writeFile(join(root, 'src', name), text.replaceAll("'../../../../src/", "'../../../../../../src/"));
  }
  return {
    root,
    async edit(file, change) {
      const path = join(root, file);
      await writeFile(path, change(await readFile(path, 'utf8')));
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
}
