/**
 * A file where the project directory (or a parent of it) would go: one
 * clear error before anything is asked or written, with or without
 * --overwrite, and the interactive prompt refuses it as an answer.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProject } from '../../src/cli/create/create.js';
import { noPrompter, type TextQuestion } from '../../src/cli/create/prompter.js';
import { ExitError } from '../../src/cli/shared/exit-error.js';
import { memoryOutput } from '../../src/cli/shared/output.js';
import { scriptedPrompter } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'ccb-file-target-'));
writeFileSync(join(root, 'afile'), 'keep me');

function create(directory: string, overwrite?: boolean) {
  return createProject({ flags: { directory, overwrite, install: false, git: false }, cwd: root, env: {}, interactive: false, prompt: noPrompter, output: memoryOutput() }).then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('a target that is a file', () => {
  it('is refused with exit 2, naming the file, with and without --overwrite; the file is untouched', async () => {
    for (const overwrite of [undefined, true]) {
      const error = await create('afile', overwrite);
      expect(error).toBeInstanceOf(ExitError);
      expect((error as ExitError).exitCode).toBe(2);
      expect((error as ExitError).message).toBe('error: "afile" is a file, not a directory.\nChoose another directory, or move the file out of the way.');
    }
    expect(readFileSync(join(root, 'afile'), 'utf8')).toBe('keep me');
  });

  it('under a path whose parent is a file, names that parent instead of calling the directory "not empty"', async () => {
    const error = (await create('afile/sub')) as ExitError;
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(`"afile/sub" cannot be created: ${join(root, 'afile')} is a file, not a directory`);
    expect(error.message).not.toMatch(/not empty/);
    expect(readdirSync(root)).toEqual(['afile']);
  });

  it('is not accepted as the answer to the directory question', async () => {
    const prompt = scriptedPrompter([]);
    let validate: TextQuestion['validate'];
    prompt.text = async (question) => {
      validate = question.validate;
      throw new Error('stop after the first question');
    };
    await createProject({ flags: {}, cwd: root, env: {}, interactive: true, prompt, output: memoryOutput() }).catch(() => undefined);
    expect(validate?.('afile')).toBe('"afile" is a file, not a directory');
    expect(validate?.('afile/x')).toMatch(/is a file, not a directory/);
    expect(validate?.('new-app')).toBeUndefined();
  });
});
