/**
 * replay tells the truth about each cassette on its own: every cassette gets
 * a freshly imported app (module state never leaks from one to the next, and
 * --update writes only what that cassette produces), an empty provider key in
 * .env counts as missing, and a recorded 429 replays as it happened (the
 * headers the client's retry logic reads are recorded).
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMockOpenAI, type MockOpenAI } from '../support/mock-openai.js';
import { startProject } from '../../src/cli/project/index.js';
import { createCassetteRecorder } from '../../src/cli/dev/recording.js';
import { replayCassettes } from '../../src/cli/replay/index.js';
import { copyFixture, type FixtureCopy } from './support/fixture.js';
import { post } from './support/session.js';
import { userInput } from '../support/chatkit.js';

const KEY = 'sk-proj-isolationkey0123456789abcdef';

/** Records one `threads.create` with `text` into cassettes/ (a fresh app import, as each `dev` restart is). */
async function recordTurn(project: FixtureCopy, mock: MockOpenAI, text: string, extraEnv: Record<string, string> = {}): Promise<{ file: string; events: any[] }> {
  const env = { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: mock.baseURL, CHATKIT_MODEL: 'mock-model', ...extraEnv };
  const recorder = createCassetteRecorder({ dir: join(project.root, 'cassettes'), env, onError: (m) => { throw new Error(m); } });
  const started = await startProject(project.root, { env, fetch: recorder.fetch, logger: false });
  recorder.attach(started.chatkit!.observer!, started.app.server, started.chatkitPath);
  let events: any[];
  try {
    ({ events } = await post(`${started.url}${started.chatkitPath}`, { type: 'threads.create', params: { input: userInput(text) } }));
  } finally {
    await started.close();
  }
  await recorder.flush();
  const file = recorder.files()[0]!;
  // Named by what it holds, so the two cassettes replay in a known order.
  const named = join(project.root, 'cassettes', `${text.replace(/\W+/g, '-')}.cassette.jsonl`);
  await rename(file, named);
  return { file: named, events };
}

describe('replay isolation', () => {
  let project: FixtureCopy;
  let mock: MockOpenAI;

  beforeEach(async () => {
    project = await copyFixture();
    mock = await startMockOpenAI();
  });
  afterEach(async () => {
    await mock.close();
    await project.remove();
  });

  it('each cassette gets a fresh app: module state from one cassette never reaches the next, and --update writes each alone', async () => {
    const counting = { FIXTURE_COUNT_TURNS: '1' };
    const first = await recordTurn(project, mock, 'a first', counting);
    const second = await recordTurn(project, mock, 'b second', counting);
    // Each was recorded by a fresh app: both are the app's first turn.
    for (const { events } of [first, second]) {
      expect(events.find((e) => e.type === 'thread.item.done' && e.item.type === 'assistant_message').item.content[0].text).toMatch(/^\[turn 1\] /);
    }
    const summary = await replayCassettes(['cassettes'], { cwd: project.root, env: counting });
    expect(summary.exitCode, summary.report).toBe(0);
    expect(summary.outcomes.map((outcome) => outcome.status)).toEqual(['equal', 'equal']);

    const before = await readFile(second.file, 'utf8');
    const updated = await replayCassettes(['cassettes'], { cwd: project.root, env: counting, update: true });
    expect(updated.exitCode, updated.report).toBe(0);
    expect(await readFile(second.file, 'utf8')).toContain('[turn 1] ');
    expect(await readFile(second.file, 'utf8')).not.toContain('[turn 2]');
    expect(before).toContain('[turn 1] ');
  });

  it('an empty provider key in .env counts as missing (replay supplies its stand-in)', async () => {
    await recordTurn(project, mock, 'hello');
    // What create-chatkit-backend generates, with the key exported in the shell while recording.
    await writeFile(join(project.root, '.env'), 'CHATKIT_MODEL_PROVIDER=openai\nCHATKIT_MODEL=mock-model\nOPENAI_API_KEY=\n');
    const summary = await replayCassettes(['cassettes'], { cwd: project.root, env: {} });
    expect(summary.report).not.toMatch(/Missing credentials|buildApp\(\) failed/);
    expect(summary.exitCode, summary.report).toBe(0);
  });

  it('a recorded 429 replays: status and the retry headers are kept, so the client does what it did when recording', async () => {
    const retrying = { FIXTURE_MAX_RETRIES: '2' };
    mock.enqueue({ error: 429 });
    const { file, events } = await recordTurn(project, mock, 'rate limited', retrying);
    expect(events.some((event) => event.type === 'error')).toBe(true);
    expect(mock.requests.filter((request) => request.api === 'responses')).toHaveLength(1);
    const text = await readFile(file, 'utf8');
    const model = text.trim().split('\n').map((line) => JSON.parse(line)).find((line) => line.kind === 'model');
    expect(model.response).toMatchObject({ status: 429, headers: { 'retry-after': '20', 'x-should-retry': 'false', 'x-ratelimit-remaining-requests': '0' } });

    await mock.close();
    const summary = await replayCassettes(['cassettes'], { cwd: project.root, env: retrying });
    expect(summary.report).not.toContain('is not in the cassette');
    expect(summary.exitCode, summary.report).toBe(0);
  });
});
