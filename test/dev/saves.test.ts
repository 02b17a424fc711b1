/**
 * Every way an editor or a tool saves a file is served by `dev`, however many
 * times in a row on the same file: in-place writes, write-temp-and-rename
 * (JetBrains' safe write), `sed -i`, delete and recreate, `cp` over it, and
 * `git checkout` of another branch. Swap and backup files alone restart nothing.
 * Each step waits for the new code's answer (an event), not for a time.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, renameSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureCopy } from '../replay/support/fixture.js';
import { post } from '../replay/support/session.js';
import { userInput } from '../support/chatkit.js';
import { startDevOnFixture, type DevOnFixture, type DevProcess } from './support/dev-process.js';

const SLOW = 180_000;
const ROUNDS = 3;

describe('dev serves every save', () => {
  let running: DevOnFixture;
  let project: FixtureCopy;
  let dev: DevProcess;
  let endpoint: string;
  let file: string;
  let version = 0;

  beforeAll(async () => {
    running = await startDevOnFixture({ key: 'sk-test-savekey-0123456789abcdef' });
    ({ project, dev, endpoint } = running);
    file = join(project.root, 'src/greeting.ts');
    await dev.until(() => served(''));
  }, SLOW);

  afterAll(() => running?.close());

  /** The reply's text when the greeting prefix is `prefix`. */
  async function served(prefix: string): Promise<true | undefined> {
    const response = await post(endpoint, { type: 'threads.create', params: { input: userInput('ping') } });
    const done = response.events.find((e) => e.type === 'thread.item.done' && e.item.type === 'assistant_message');
    return done?.item.content[0].text === `${prefix}You said: ping` ? true : undefined;
  }

  const source = (prefix: string) => `export const GREETING_PREFIX = '${prefix}';\n`;
  /** A save in some style; then the new code must answer. */
  async function expectServedAfter(save: (text: string) => void): Promise<void> {
    const prefix = `[v${++version}] `;
    save(source(prefix));
    await dev.until(() => served(prefix));
  }

  it('in-place writes', async () => {
    for (let i = 0; i < ROUNDS; i++) await expectServedAfter((text) => writeFileSync(file, text));
  }, SLOW);

  it('write a temp file and rename it over the original (safe write), then in place again', async () => {
    for (let i = 0; i < ROUNDS; i++) {
      await expectServedAfter((text) => {
        writeFileSync(`${file}___jb_tmp___`, text);
        renameSync(`${file}___jb_tmp___`, file);
      });
      await expectServedAfter((text) => {
        writeFileSync(join(project.root, 'src/.greeting.ts.tmp'), text);
        renameSync(join(project.root, 'src/.greeting.ts.tmp'), file);
      });
    }
    // The rename target is still followed for plain writes.
    await expectServedAfter((text) => writeFileSync(file, text));
  }, SLOW);

  it('sed -i, including a syntax error fixed by cp', async () => {
    for (let i = 0; i < ROUNDS; i++) {
      await expectServedAfter((text) => {
        const current = readFileSync(file, 'utf8').match(/'([^']*)'/)![1];
        const next = text.match(/'([^']*)'/)![1];
        execFileSync('sed', ['-i', `s/'${escapeSed(current)}'/'${escapeSed(next)}'/`, file]);
      });
    }
    const from = dev.output().length;
    execFileSync('sed', ['-i', 's/export const/export const const =/', file]);
    await dev.waitFor(/the app failed to load/, from);
    const fixed = join(project.root, 'fixed.ts');
    await expectServedAfter((text) => {
      writeFileSync(fixed, text);
      execFileSync('cp', [fixed, file]);
    });
  }, SLOW);

  it('delete and recreate', async () => {
    for (let i = 0; i < ROUNDS; i++) {
      await expectServedAfter((text) => {
        rmSync(file);
        writeFileSync(file, text);
      });
    }
  }, SLOW);

  it('git checkout of another branch and back', async () => {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: project.root, stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'add', 'src');
    const other = `[branch-${version}] `;
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'main');
    const onMain = readFileSync(file, 'utf8').match(/'([^']*)'/)![1];
    git('checkout', '-qb', 'other');
    writeFileSync(file, source(other));
    await dev.until(() => served(other));
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qam', 'other');
    for (let i = 0; i < ROUNDS; i++) {
      git('checkout', '-q', 'main');
      await dev.until(() => served(onMain));
      git('checkout', '-q', 'other');
      await dev.until(() => served(other));
    }
  }, SLOW);

  it('ignores swap and backup files, and restarts for scripts/ and .env', async () => {
    const from = dev.output().length;
    writeFileSync(join(project.root, 'src/.greeting.ts.swp'), 'swap');
    writeFileSync(join(project.root, 'src/greeting.ts~'), 'backup');
    writeFileSync(join(project.root, 'src/4913'), '');
    // A real save after them: its restart is the only one.
    await expectServedAfter((text) => writeFileSync(file, text));
    const restarts = dev.output().slice(from).match(/↻ (\S+) changed/g) ?? [];
    expect(restarts).toEqual(['↻ src/greeting.ts changed']);

    mkdirSync(join(project.root, 'scripts'), { recursive: true });
    const scriptsFrom = dev.output().length;
    writeFileSync(join(project.root, 'scripts/demo.json'), '{"turns":[]}');
    await dev.waitFor(/↻ scripts\/demo\.json changed, restarting…/, scriptsFrom);
    writeFileSync(join(project.root, 'scripts/demo.json'), '{"turns":[{"text":"x"}]}');
    await dev.waitFor(/↻ scripts\/demo\.json changed, restarting…[\s\S]*↻ scripts\/demo\.json changed, restarting…/, scriptsFrom);
  }, SLOW);
});

function escapeSed(text: string): string {
  return text.replace(/[[\]\\/.*^$]/g, '\\$&');
}
