/**
 * `npm run bench:replay`: how long replaying a 50-turn cassette takes (and what
 * each further cassette in the same run adds: each gets a freshly imported
 * app), how long `dev` takes from start to the first served request, and from
 * a file save to serving the new code, for every way editors and tools save
 * (ratios against a plain in-place write measured in the same run). Uses the
 * test fixture project and the local mock OpenAI server; nothing leaves the machine.
 */
import { execFileSync, spawn } from 'node:child_process';
import { copyFile, readFile, rename, rm } from 'node:fs/promises';
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
const RUNS_PER_STYLE = Number(process.env.BENCH_SAVES ?? 3);
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

  // Four more copies: every cassette is replayed against its own fresh import of the app.
  const [file] = summaryFiles(await replayCassettes(['cassettes'], { cwd: project.root, env: {} }));
  for (let copy = 1; copy <= 4; copy++) await copyFile(file, file.replace('.cassette.jsonl', `-copy${copy}.cassette.jsonl`));
  const five: number[] = [];
  for (let run = 0; run < 3; run++) {
    const began = performance.now();
    const summary = await replayCassettes(['cassettes'], { cwd: project.root, env: {} });
    five.push(performance.now() - began);
    if (summary.exitCode !== 0) throw new Error(`replay of the five cassettes failed:\n${summary.report}`);
  }
  const single = median(times.slice(1));
  console.log(`  five copies in one run: median ${ms(median(five))} = ${(median(five) / single).toFixed(2)}× one cassette (${ms((median(five) - single) / 4)} per extra cassette, fresh app each)`);
  await project.remove();
}

function summaryFiles(summary: Awaited<ReturnType<typeof replayCassettes>>): string[] {
  return summary.outcomes.map((outcome) => outcome.file);
}

/**
 * Ways a file gets saved: each writes `text` to `path` as that editor or tool
 * does, and returns when the save itself began (setup before it is not timed).
 */
type Save = (path: string, text: string, root: string, served: (prefix: string) => Promise<void>) => Promise<number>;
const SAVE_STYLES: Record<string, Save> = {
  'in-place write': async (path, text) => {
    const at = performance.now();
    await writeFile(path, text);
    return at;
  },
  'temp file + rename (JetBrains safe write)': async (path, text) => {
    const at = performance.now();
    await writeFile(`${path}___jb_tmp___`, text);
    await rename(`${path}___jb_tmp___`, path);
    return at;
  },
  'sed -i': async (path, text) => {
    const next = /'([^']*)'/.exec(text)![1].replace(/[[\]\\/.*^$]/g, '\\$&');
    const at = performance.now();
    execFileSync('sed', ['-i', `s/'[^']*'/'${next}'/`, path]);
    return at;
  },
  'delete + recreate': async (path, text) => {
    const at = performance.now();
    await rm(path);
    await writeFile(path, text);
    return at;
  },
  'cp over it': async (path, text, root) => {
    await writeFile(join(root, 'incoming.ts'), text);
    const at = performance.now();
    execFileSync('cp', [join(root, 'incoming.ts'), path]);
    return at;
  },
  'git checkout of another branch': async (path, text, root, served) => {
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=b@example.com', '-c', 'user.name=b', ...args], { cwd: root, stdio: 'pipe' });
    // Commit `text` on a branch, go back to the previous commit and wait until its code is served; then the checkout is the save.
    git('add', 'src');
    git('commit', '-qm', 'current', '--allow-empty');
    git('checkout', '-q', '-B', 'next');
    await writeFile(path, text);
    git('commit', '-qam', 'next');
    git('checkout', '-q', 'HEAD~1');
    await served(/'([^']*)'/.exec(await readFile(path, 'utf8'))![1]);
    await new Promise((r) => setTimeout(r, 3000));
    const at = performance.now();
    git('checkout', '-q', 'next');
    return at;
  },
};

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
  const perStyle = new Map<string, number[]>();
  try {
    await poll(() => true);
    startup = performance.now() - began;
    const file = join(project.root, 'src/greeting.ts');
    const served = (prefix: string) => poll((text) => text.startsWith(prefix));
    execFileSync('git', ['init', '-q', '-b', 'base'], { cwd: project.root });
    let version = 0;
    for (const [style, save] of Object.entries(SAVE_STYLES)) {
      const times: number[] = [];
      for (let run = 0; run < RUNS_PER_STYLE; run++) {
        // Give the warm standby time to get ready, as between two real saves.
        await new Promise((r) => setTimeout(r, 3000));
        const prefix = `[v${++version}] `;
        const savedAt = await save(file, `export const GREETING_PREFIX = '${prefix}';\n`, project.root, served);
        await served(prefix);
        times.push(performance.now() - savedAt);
        if (process.env.CHATKIT_DEV_TRACE) console.log(`  [bench] ${style}: ${prefix}served after ${Math.round(times.at(-1)!)}ms`);
      }
      perStyle.set(style, times);
    }
  } finally {
    dev.kill('SIGINT');
    await new Promise((r) => dev.once('exit', r));
    await mock.close();
    await project.remove();
  }
  console.log('dev:');
  console.log(`  start → first served request: ${ms(startup)}`);
  const baseline = median(perStyle.get('in-place write')!);
  console.log('  file save → new code served (median of ' + RUNS_PER_STYLE + ' saves each; ratio against an in-place write):');
  for (const [style, times] of perStyle) {
    console.log(`    ${style.padEnd(44)} ${ms(median(times)).padStart(8)}  ${(median(times) / baseline).toFixed(2)}×  (runs: ${times.map((t) => Math.round(t)).join(', ')} ms)`);
  }
}

if (!process.env.BENCH_ONLY_DEV) await benchReplay();
await benchDev();
