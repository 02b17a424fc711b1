/**
 * `dev` as a real subprocess: it starts, serves a streamed reply, restarts
 * after an edit with the change live, survives a syntax error and recovers,
 * and records each thread to a cassette that replays.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockOpenAI, type MockOpenAI } from '../support/mock-openai.js';
import { copyFixture, type FixtureCopy } from '../replay/support/fixture.js';
import { post } from '../replay/support/session.js';
import { userInput } from '../support/chatkit.js';
import { replayCassettes } from '../../src/cli/replay/index.js';
import { freePort } from './support/free-port.js';

const RUN_DEV = resolve(import.meta.dirname, 'support/run-dev.ts');

async function until<T>(what: string, probe: () => Promise<T | undefined>, output: () => string): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; dev output:\n${output()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('create-chatkit-backend dev', () => {
  let project: FixtureCopy;
  let mock: MockOpenAI;
  let dev: ChildProcess;
  let output = '';
  let endpoint: string;

  beforeAll(async () => {
    project = await copyFixture();
    mock = await startMockOpenAI({ script: { chunkSize: 3 } });
    await writeFile(join(project.root, '.env'), `OPENAI_API_KEY=sk-test-devkey-0123456789abcdef\nOPENAI_BASE_URL=${mock.baseURL}\nCHATKIT_MODEL=mock-model\n`);
    const port = await freePort();
    endpoint = `http://127.0.0.1:${port}/chatkit/api`;
    dev = spawn(process.execPath, ['--import', 'tsx', RUN_DEV, '--port', String(port), '--cwd', project.root, '--record', 'cassettes'], {
      env: { ...process.env, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    dev.stdout!.on('data', (chunk) => (output += chunk));
    dev.stderr!.on('data', (chunk) => (output += chunk));
  });

  afterAll(async () => {
    if (dev.exitCode === null) {
      dev.kill('SIGINT');
      await new Promise((r) => dev.once('exit', r));
    }
    await mock.close();
    await project.remove();
  });

  const reply = async (text: string) => {
    const response = await post(endpoint, { type: 'threads.create', params: { input: userInput(text) } });
    const done = response.events.find((e) => e.type === 'thread.item.done' && e.item.type === 'assistant_message');
    return done ? { text: done.item.content[0].text as string, events: response.events } : undefined;
  };

  it('starts, serves a streamed reply, and logs the request', async () => {
    const first = await until('the first reply', () => reply('hello dev'), () => output);
    expect(first.text).toContain('hello dev');
    expect(first.events.filter((e) => e.update?.type === 'assistant_message.content_part.text_delta').length).toBeGreaterThan(1);
    expect(output).toContain('listening on http://127.0.0.1:');
    expect(output).toContain('no CORS origin configured');
    await until('the log line', async () => (/✓ +threads\.create +thr_\w+ +200 +first event \d+ms +\d+ events/.test(output) ? true : undefined), () => output);
  });

  it('restarts after an edit and serves the new code', async () => {
    await project.edit('src/greeting.ts', (text) => text.replace("= ''", "= '[v2] '"));
    const updated = await until('the edited code', async () => { const r = await reply('after edit'); return r?.text.startsWith('[v2] ') ? r : undefined; }, () => output);
    expect(updated.text).toContain('after edit');
    expect(output).toMatch(/↻ src\/greeting\.ts changed, restarting…/);
    expect(output).toMatch(/✓ restarted in \d+ms/);
  });

  it('restarts with the new configuration when .env changes', async () => {
    await project.edit('.env', (text) => text.replace('CHATKIT_MODEL=mock-model', 'CHATKIT_MODEL=other-model'));
    await until('the new model name', async () => {
      await reply('which model?');
      return mock.requests.at(-1)?.body?.model === 'other-model' ? true : undefined;
    }, () => output);
    expect(output).toContain('↻ .env changed, restarting…');
    // The configuration the banner shows changed, so it is printed again (a code edit does not reprint it).
    expect(output.match(/ChatKit backend listening on/g)).toHaveLength(2);
    expect(output).toContain('model     openai / other-model');
  });

  it('reports a syntax error, keeps running, and recovers on the next save', async () => {
    await project.edit('src/greeting.ts', (text) => text.replace('export const', 'export const const ='));
    // The report's last line: the lines before it have arrived too.
    await until('the load error', async () => (output.includes('waiting for a change under src/') ? true : undefined), () => output);
    expect(output).toMatch(/greeting\.ts:\d+:\d+: ERROR/);
    expect(output).toContain('waiting for a change under src/ or to .env to try again');
    expect(dev.exitCode).toBeNull();
    // The last version that loaded keeps answering: a refused connection would look like a CORS error in the browser.
    await until('the keep-serving note', async () => (output.includes('the previous version is still serving requests') ? true : undefined), () => output);
    expect((await reply('during the error'))?.text).toMatch(/^\[v2\] .*during the error/);

    await project.edit('src/greeting.ts', (text) => text.replace('export const const =', 'export const').replace('[v2] ', '[v3] '));
    const recovered = await until('the fixed code', async () => { const r = await reply('recovered'); return r?.text.startsWith('[v3] ') ? r : undefined; }, () => output);
    expect(recovered.text).toContain('recovered');
  });

  it('recorded each thread to a cassette that replays against the code it was recorded with', async () => {
    const dir = join(project.root, 'cassettes');
    const files = await until('cassettes', async () => {
      const names = (await readdir(dir)).filter((n) => n.endsWith('.cassette.jsonl'));
      const texts = await Promise.all(names.map((n) => readFile(join(dir, n), 'utf8')));
      return texts.some((t) => t.includes('[v3] ') && t.includes('recovered')) ? names.map((n, i) => ({ file: join(dir, n), text: texts[i] })) : undefined;
    }, () => output);
    for (const { text } of files) expect(text).not.toContain('sk-test-devkey');
    // Each new cassette is announced once, by its path relative to the project.
    expect(output).toMatch(/recording this thread to cassettes\/\d{8}-\d{6}-thr_\w+\.cassette\.jsonl/);
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
  });

  it('reports type errors from a background tsc while the app keeps serving', async () => {
    await project.edit('src/greeting.ts', (text) => `${text}\nexport const wrong: number = 'not a number';\n`);
    await until('the type error', async () => (/src\/greeting\.ts\(\d+,\d+\): error TS2322/.test(output) ? true : undefined), () => output);
    expect(output).toMatch(/✗ 1 type error\(s\) \(the app still runs/);
    // Checks only ever run on code that loaded: never on the earlier syntax error.
    expect(output).not.toMatch(/error TS1389/);
    expect((await reply('still here'))?.text).toContain('still here');
    await project.edit('src/greeting.ts', (text) => text.replace("export const wrong: number = 'not a number';", ''));
    await until('the all-clear', async () => (output.includes('✓ no type errors') ? true : undefined), () => output);
  });

  it('stops cleanly on SIGINT', async () => {
    dev.kill('SIGINT');
    const code = await new Promise<number | null>((r) => dev.once('exit', r));
    expect(code).toBe(0);
  });
});
