import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FilePlan } from '../../src/cli/create/plan.js';
import { writePlan } from '../../src/cli/create/write-plan.js';

const root = mkdtempSync(join(tmpdir(), 'ccb-write-'));
const file = (path: string, text: string) => ({ path, contents: Buffer.from(text), source: 'test' });

describe('writing a plan', () => {
  it('creates the directory and every file with exact bytes', async () => {
    const targetDir = join(root, 'new');
    await writePlan({ targetDir, emptyFirst: false, files: [file('a/b/c.txt', 'hello'), file('.gitignore', 'x\n')] });
    expect(readFileSync(join(targetDir, 'a/b/c.txt'), 'utf8')).toBe('hello');
    expect(readFileSync(join(targetDir, '.gitignore'), 'utf8')).toBe('x\n');
  });

  it('removes a directory it created when a write fails part-way', async () => {
    const targetDir = join(root, 'fails');
    // `a` is first written as a file, so `a/b.txt` cannot be created.
    const plan: FilePlan = { targetDir, emptyFirst: false, files: [file('one.txt', '1'), file('a', 'file'), file('a/b.txt', 'x')] };
    await expect(writePlan(plan)).rejects.toThrow();
    expect(existsSync(targetDir)).toBe(false);
  });

  it('in an existing directory, removes only what it wrote', async () => {
    const targetDir = join(root, 'existing');
    mkdirSync(join(targetDir, '.git'), { recursive: true });
    writeFileSync(join(targetDir, '.git', 'HEAD'), 'ref');
    await expect(writePlan({ targetDir, emptyFirst: false, files: [file('one.txt', '1'), file('one.txt', 'again')] })).rejects.toThrow();
    expect(readdirSync(targetDir)).toEqual(['.git']);
  });

  it('empties the directory first when asked, keeping .git', async () => {
    const targetDir = join(root, 'overwrite');
    mkdirSync(join(targetDir, '.git'), { recursive: true });
    writeFileSync(join(targetDir, '.git', 'HEAD'), 'ref');
    writeFileSync(join(targetDir, 'old.txt'), 'old');
    await writePlan({ targetDir, emptyFirst: true, files: [file('new.txt', 'new')] });
    expect(readdirSync(targetDir).sort()).toEqual(['.git', 'new.txt']);
    expect(readFileSync(join(targetDir, '.git', 'HEAD'), 'utf8')).toBe('ref');
  });
});
