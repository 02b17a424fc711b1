/**
 * `npm run bench:replay`: how long replaying a 50-turn cassette takes, how long
 * `dev` takes from start to the first served request, and from a file save to
 * serving the new code. Uses the test fixture project and the local mock
 * OpenAI server; nothing leaves the machine.
 */
import { spawn } from 'node:child_process';
import { freePort } from '../test/dev/support/free-port.js';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { startMockOpenAI, type MockReply } from '../test/support/mock-openai.js';
import { copyFixture } from '../test/replay/support/fixture.js';
import { post } from '../test/replay/support/session.js';
import { userInput } from '../test/support/chatkit.js';
import { startProject } from '../src/cli/project/index.js';
import { createCassetteRecorder } from '../src/cli/dev/recording.js';
import { replayCassettes } from '../src/cli/replay/index.js';

const TURNS = 50;
// As `replay` itself does: the plugin stays quiet about development defaults under test.
process.env.NODE_ENV ??= 'test';
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value: number) => `${Math.round(value)} ms`;

async function benchReplay(): Promise<void> {
  const project = await copyFixture();
  const replies: MockReply[] = [];
  for (let turn = 0; turn < TURNS; turn++) {
    if (turn % 10 === 5) replies.push({ toolCalls: [{ name: 'show_weather', arguments: { city: `City ${turn}` } }] });
    replies.push({ text: `Answer number ${turn}: ${'lorem ipsum '.repeat(8)}` });
  }
  const mock = await startMockOpenAI({ script: { replies, chunkSize: 8 } });
  const env = { OPENAI_API_KEY: 'sk-bench-key-0123456789abcdefgh', OPENAI_BASE_URL: mock.baseURL };
  const recorder = createCassetteRecorder({ dir: join(project.root, 'cassettes'), env });
  const started = await startProject(project.root, { env, fetch: recorder.fetch });
  recorder.attach(started.chatkit!.observer!, started.app.server, started.chatkitPath);
  const endpoint = `${started.url}${started.chatkitPath}`;
  const created = await post(endpoint, { type: 'threads.create', params: { input: userInput('turn 0') } });
  const threadId = created.events.find((e) => e.type === 'thread.created').thread.id as string;
  for (let turn = 1; turn < TURNS; turn++) {
    await post(endpoint, { type: 'threads.add_user_message', params: { thread_id: threadId, input: userInput(`turn ${turn}`) } });
  }
  await started.close();
  await recorder.flush();
  await mock.close();

  const times: number[] = [];
  let events = 0;
  for (let run = 0; run < 5; run++) {
    const began = performance.now();
    const summary = await replayCassettes(['cassettes'], { cwd: project.root, env: {} });
    times.push(performance.now() - began);
    if (summary.exitCode !== 0) throw new Error(`replay of the bench cassette failed:\n${summary.report}`);
    const outcome = summary.outcomes[0];
    if (outcome.status !== 'invalid') events = outcome.result.requests;
  }
  console.log(`replay: ${TURNS}-turn cassette (${events} requests, ${replies.length} model calls)`);
  console.log(`  first run (includes importing the project): ${ms(times[0])}`);
  console.log(`  median of the next ${times.length - 1} runs: ${ms(median(times.slice(1)))}`);
  await project.remove();
}

async function benchDev(): Promise<void> {
  const project = await copyFixture();
  const mock = await startMockOpenAI();
  await writeFile(join(project.root, '.env'), `OPENAI_API_KEY=sk-bench-key-0123456789abcdefgh\nOPENAI_BASE_URL=${mock.baseURL}\n`);
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}/chatkit/api`;
  const reply = async () => {
    const response = await post(endpoint, { type: 'threads.create', params: { input: userInput('ping') } }).catch(() => undefined);
    return response?.events.find((e) => e.type === 'thread.item.done' && e.item.type === 'assistant_message')?.item.content[0].text as string | undefined;
  };
  const poll = async (accept: (text: string) => boolean) => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (Date.now() > deadline) throw new Error('dev did not serve the expected code within 60 s (run with CHATKIT_DEV_TRACE=1 to see its output)');
      const text = await reply();
      if (text !== undefined && accept(text)) return;
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  const began = performance.now();
  const dev = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, '../test/dev/support/run-dev.ts'), '--port', String(port), '--cwd', project.root], {
    stdio: process.env.CHATKIT_DEV_TRACE ? 'inherit' : 'ignore',
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  let startup = 0;
  const saves: number[] = [];
  try {
    await poll(() => true);
    startup = performance.now() - began;
    for (let version = 1; version <= 5; version++) {
      // Give the warm standby time to get ready, as between two real saves.
      await new Promise((r) => setTimeout(r, 3000));
      const saved = performance.now();
      await writeFile(join(project.root, 'src/greeting.ts'), `export const GREETING_PREFIX = '[v${version}] ';\n`);
      await poll((text) => text.startsWith(`[v${version}] `));
      saves.push(performance.now() - saved);
      if (process.env.CHATKIT_DEV_TRACE) console.log(`  [bench] v${version} served after ${Math.round(saves.at(-1)!)}ms`);
    }
  } finally {
    dev.kill('SIGINT');
    await new Promise((r) => dev.once('exit', r));
    await mock.close();
    await project.remove();
  }
  console.log('dev:');
  console.log(`  start → first served request: ${ms(startup)}`);
  console.log(`  file save → new code served: median ${ms(median(saves))} (runs: ${saves.map((s) => Math.round(s)).join(', ')} ms)`);
}

if (!process.env.BENCH_ONLY_DEV) await benchReplay();
await benchDev();
