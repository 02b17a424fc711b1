/**
 * `dev` as a real subprocess: it starts, serves a streamed reply, restarts
 * after an edit with the change live, survives a syntax error and recovers,
 * and records each thread to a cassette that replays. Every wait ends on the
 * event it needs (an output line, an answer from the new code): on two busy
 * cores a restart or a type check can take many seconds, which is slow, not wrong.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockOpenAI } from '../support/mock-openai.js';
import type { FixtureCopy } from '../replay/support/fixture.js';
import { post } from '../replay/support/session.js';
import { userInput } from '../support/chatkit.js';
import { replayCassettes } from '../../src/cli/replay/index.js';
import { startDevOnFixture, type DevOnFixture, type DevProcess } from './support/dev-process.js';

/** The limit for one step under load; the waits themselves end on events. */
const SLOW = 120_000;

describe('create-chatkit-backend dev', () => {
  let running: DevOnFixture;
  let project: FixtureCopy;
  let mock: MockOpenAI;
  let dev: DevProcess;
  let endpoint: string;

  beforeAll(async () => {
    running = await startDevOnFixture({ key: 'sk-test-devkey-0123456789abcdef', mock: { script: { chunkSize: 3 } }, args: ['--record', 'cassettes'] });
    ({ project, mock, dev, endpoint } = running);
  });

  afterAll(() => running?.close());

  const reply = async (text: string) => {
    const response = await post(endpoint, { type: 'threads.create', params: { input: userInput(text) } });
    const done = response.events.find((e) => e.type === 'thread.item.done' && e.item.type === 'assistant_message');
    return done ? { text: done.item.content[0].text as string, events: response.events } : undefined;
  };
  const replyStartingWith = (prefix: string, text: string) => dev.until(async () => {
    const r = await reply(text);
    return r?.text.startsWith(prefix) ? r : undefined;
  });

  it('starts, serves a streamed reply, and logs the request', async () => {
    const first = await dev.until(() => reply('hello dev'));
    expect(first.text).toContain('hello dev');
    expect(first.events.filter((e) => e.update?.type === 'assistant_message.content_part.text_delta').length).toBeGreaterThan(1);
    expect(dev.output()).toContain('listening on http://127.0.0.1:');
    expect(dev.output()).toContain('no CORS origin configured');
    await dev.waitFor(/✓ +threads\.create +thr_\w+ +200 +first event \d+ms +\d+ events/);
  }, SLOW);

  it('restarts after an edit and serves the new code', async () => {
    await project.edit('src/greeting.ts', (text) => text.replace("= ''", "= '[v2] '"));
    const updated = await replyStartingWith('[v2] ', 'after edit');
    expect(updated.text).toContain('after edit');
    expect(dev.output()).toMatch(/↻ src\/greeting\.ts changed, restarting…/);
    await dev.waitFor(/✓ restarted in \d+ms/);
  }, SLOW);

  it('restarts with the new configuration when .env changes', async () => {
    await project.edit('.env', (text) => text.replace('CHATKIT_MODEL=mock-model', 'CHATKIT_MODEL=other-model'));
    await dev.until(async () => {
      await reply('which model?');
      return mock.requests.at(-1)?.body?.model === 'other-model' ? true : undefined;
    });
    expect(dev.output()).toContain('↻ .env changed, restarting…');
    // The new process can answer before its banner has reached this side of the pipe.
    await dev.waitFor(/model +openai \/ other-model/);
    // The configuration the banner shows changed, so it is printed again (a code edit does not reprint
    // it). On a loaded machine one write can arrive as two change events, each a restart with its banner.
    const banners = dev.output().split('ChatKit backend listening on').slice(1);
    expect(banners.length, dev.output()).toBeGreaterThanOrEqual(2);
    expect(banners.at(-1), dev.output()).toContain('model     openai / other-model');
    expect(banners[0]).toContain('model     openai / mock-model');
  }, SLOW);

  it('reports a syntax error, keeps running, and recovers on the next save', async () => {
    const from = dev.output().length;
    await project.edit('src/greeting.ts', (text) => text.replace('export const', 'export const const ='));
    // The report's last line: the lines before it have arrived too.
    await dev.waitFor(/waiting for a change under src\/ or scripts\/, or to \.env, to try again/, from);
    expect(dev.output().slice(from)).toMatch(/greeting\.ts:\d+:\d+: ERROR/);
    expect(dev.child.exitCode).toBeNull();
    // The last version that loaded keeps answering: a refused connection would look like a CORS error in the browser.
    await dev.waitFor(/the previous version is still serving requests/, from);
    expect((await reply('during the error'))?.text).toMatch(/^\[v2\] .*during the error/);

    await project.edit('src/greeting.ts', (text) => text.replace('export const const =', 'export const').replace('[v2] ', '[v3] '));
    const recovered = await replyStartingWith('[v3] ', 'recovered');
    expect(recovered.text).toContain('recovered');
  }, SLOW);

  it('recorded each thread to a cassette that replays against the code it was recorded with', async () => {
    const dir = join(project.root, 'cassettes');
    const files = await dev.until(async () => {
      const names = (await readdir(dir)).filter((n) => n.endsWith('.cassette.jsonl'));
      const texts = await Promise.all(names.map((n) => readFile(join(dir, n), 'utf8')));
      return texts.some((t) => t.includes('[v3] ') && t.includes('recovered')) ? names.map((n, i) => ({ file: join(dir, n), text: texts[i] })) : undefined;
    });
    for (const { text } of files) expect(text).not.toContain('sk-test-devkey');
    // Each new cassette is announced once, by its path relative to the project.
    expect(dev.output()).toMatch(/recording this thread to cassettes\/\d{8}-\d{6}-thr_\w+\.cassette\.jsonl/);
    const latest = files.find((f) => f.text.includes('[v3] ') && f.text.includes('recovered'))!;
    const fine = await replayCassettes([latest.file], { cwd: project.root, env: {} });
    expect(fine.exitCode, fine.report).toBe(0);
    const old = files.find((f) => f.text.includes('"hello dev"'))!;
    const stale = await replayCassettes([old.file], { cwd: project.root, env: {} });
    expect(stale.exitCode).toBe(1);
    // The inserted delta is reported once, not as a shift of every later event.
    expect(stale.report).toMatch(/events\[4\]: unexpected thread\.item\.updated assistant_message\.content_part\.text_delta "/);
    expect(stale.report.split('\n').filter((line) => /^\s+events\[/.test(line))).toHaveLength(2);
    expect(stale.report).toMatch(/events\[\d+\]\.item\.content\[0\]\.text: expected "You said: hello dev", got "\[v3\] You said: hello dev"/);
  }, SLOW);

  it('reports type errors from a background tsc while the app keeps serving', async () => {
    const from = dev.output().length;
    await project.edit('src/greeting.ts', (text) => `${text}\nexport const wrong: number = 'not a number';\n`);
    // The check runs once the restarted app is up and the next standby is warm: wait for its verdict itself.
    await dev.waitFor(/✗ 1 type error\(s\) \(the app still runs[^\n]*\n\s+src\/greeting\.ts\(\d+,\d+\): error TS2322/, from);
    // Checks only ever run on code that loaded: never on the earlier syntax error.
    expect(dev.output()).not.toMatch(/error TS1389/);
    expect((await reply('still here'))?.text).toContain('still here');
    await project.edit('src/greeting.ts', (text) => text.replace("export const wrong: number = 'not a number';", ''));
    await dev.waitFor(/✓ no type errors/, from);
  }, SLOW);

  it('stops cleanly on SIGINT', async () => {
    expect(await dev.stop()).toBe(0);
  }, SLOW);
});
