import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMockOpenAI, type MockOpenAI } from '../support/mock-openai.js';
import { startProject } from '../../src/cli/project/index.js';
import { createCassetteRecorder } from '../../src/cli/dev/recording.js';
import { replayCassettes } from '../../src/cli/replay/index.js';
import { run as runReplay } from '../../src/cli/replay/command.js';
import { copyFixture, type FixtureCopy } from './support/fixture.js';
import { driveSession, SESSION_REPLIES } from './support/session.js';
import { SignJWT } from 'jose';

const KEY = 'sk-proj-recordingkey0123456789abcdef';

async function recordSession(project: FixtureCopy, mock: MockOpenAI, extraEnv: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<string> {
  const env = { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: mock.baseURL, CHATKIT_MODEL: 'mock-model', ...extraEnv };
  const recorder = createCassetteRecorder({ dir: join(project.root, 'cassettes'), env, onError: (m) => { throw new Error(m); } });
  const started = await startProject(project.root, { env, fetch: recorder.fetch, logger: false });
  recorder.attach(started.chatkit!.observer!, started.app.server, started.chatkitPath);
  try {
    await driveSession(`${started.url}${started.chatkitPath}`, headers);
  } finally {
    await started.close();
  }
  await recorder.flush();
  expect(recorder.files()).toHaveLength(1);
  return recorder.files()[0];
}

async function captureStdout(fn: () => Promise<number>): Promise<{ code: number; out: string }> {
  const original = process.stdout.write.bind(process.stdout);
  let out = '';
  process.stdout.write = ((chunk: string | Uint8Array) => { out += String(chunk); return true; }) as typeof process.stdout.write;
  try {
    return { code: await fn(), out };
  } finally {
    process.stdout.write = original;
  }
}

describe('record a session against the mock, replay it offline', () => {
  let project: FixtureCopy;
  let cassette: string;

  beforeEach(async () => {
    project = await copyFixture();
    const mock = await startMockOpenAI({ script: { replies: SESSION_REPLIES } });
    try {
      cassette = await recordSession(project, mock);
      expect(mock.requests.filter((r) => r.api === 'responses')).toHaveLength(5);
    } finally {
      await mock.close();
    }
  });
  afterEach(() => project.remove());

  it('writes a redacted cassette with requests, events and model traffic', async () => {
    const text = await readFile(cassette, 'utf8');
    expect(text).not.toContain(KEY);
    expect(text).not.toMatch(/authorization/i);
    const lines = text.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ kind: 'chatkit-session', version: 1, redactions: expect.arrayContaining(['header-allowlist']), env: { CHATKIT_MODEL: 'mock-model' } });
    expect(lines.filter((l) => l.kind === 'request').map((l) => l.type)).toEqual([
      'threads.create', 'threads.add_user_message', 'threads.add_user_message', 'threads.add_client_tool_output', 'items.list',
    ]);
    expect(lines.filter((l) => l.kind === 'model')).toHaveLength(5);
    expect(lines.some((l) => l.kind === 'event' && l.event.item?.type === 'widget')).toBe(true);
    const listed = lines.find((l) => l.kind === 'response' && l.request === 4);
    expect(listed).toMatchObject({ status: 200, streaming: false, body: { data: expect.any(Array), has_more: false } });
  });

  it('replays with the mock stopped: exit 0, identical events', async () => {
    const summary = await replayCassettes([cassette], { cwd: project.root, env: {} });
    expect(summary.report).toContain('identical');
    expect(summary.exitCode, summary.report).toBe(0);
    const outcome = summary.outcomes[0];
    expect(outcome.status).toBe('equal');
    if (outcome.status !== 'invalid') expect(outcome.result).toMatchObject({ requests: 5, modelCalls: 5, unusedModelCalls: 0 });

    const { code, out } = await captureStdout(() => runReplay(['--cwd', project.root, '--json', 'cassettes']));
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ exitCode: 0, cassettes: [{ status: 'equal', requests: 5 }] });
  });

  it('a changed tool output exits 1 with a readable diff; --update accepts it', async () => {
    await project.edit('src/weather.ts', (text) => text.replace('21°C', '5°C'));
    const summary = await replayCassettes(['cassettes'], { cwd: project.root, env: {} });
    expect(summary.exitCode).toBe(1);
    expect(summary.report).toContain('request #1 threads.add_user_message:');
    expect(summary.report).toMatch(/events\[\d+\]\.item\.copy_text: expected "Paris: 21°C", got "Paris: 5°C"/);
    expect(summary.report).toMatch(/model call #2 was asked something else:\n\s+body\.input\[\d+\]\.output: expected "Paris: 21°C", got "Paris: 5°C"/);

    const updated = await replayCassettes(['cassettes'], { cwd: project.root, env: {}, update: true });
    expect(updated.exitCode, updated.report).toBe(0);
    const again = await replayCassettes(['cassettes'], { cwd: project.root, env: {} });
    // --update also takes the model requests the code sends now (the recorded answers stay), so
    // following the hint really makes the replay pass.
    expect(again.exitCode, again.report).toBe(0);
  });

  it('applies the recorded model settings over a different .env', async () => {
    await project.edit('.env', (text) => text.replace('CHATKIT_MODEL=mock-model', 'CHATKIT_MODEL=some-other-model'));
    const summary = await replayCassettes(['cassettes'], { cwd: project.root, env: {} });
    expect(summary.exitCode, summary.report).toBe(0);
  });

  it('refuses a cassette with an injected sk- key (exit 2, line and pattern, no secret)', async () => {
    const lines = (await readFile(cassette, 'utf8')).trimEnd().split('\n');
    const injected = 'sk-live0123456789abcdefghijklmnop';
    lines.splice(3, 0, JSON.stringify({ kind: 'event', request: 0, t: 0, event: { note: injected } }));
    await writeFile(cassette, lines.join('\n') + '\n');
    const { code, out } = await captureStdout(() => runReplay(['--cwd', project.root, 'cassettes']));
    expect(code).toBe(2);
    expect(out).toContain('line 4: an OpenAI API key (sk-…) [openai-key]');
    expect(out).not.toContain(injected);
  });

  it('a missing model response names the re-record command', async () => {
    const lines = (await readFile(cassette, 'utf8')).trimEnd().split('\n').filter((l) => !(l.includes('"kind":"model"') && l.includes('"call":4')));
    await writeFile(cassette, lines.join('\n') + '\n');
    const summary = await replayCassettes(['cassettes'], { cwd: project.root, env: {} });
    expect(summary.exitCode).toBe(1);
    expect(summary.report).toContain('model call #4 (POST /responses) is not in the cassette');
    expect(summary.report).toContain('npx create-chatkit-backend dev --record cassettes');

    // --update cannot invent the missing answer: it refuses, says to re-record, and leaves the file alone.
    const before = await readFile(cassette, 'utf8');
    const update = await replayCassettes(['cassettes'], { cwd: project.root, env: {}, update: true });
    expect(update.exitCode).toBe(1);
    expect(update.report).toContain('--update cannot fix this cassette: the code now makes 1 model call(s) the cassette does not hold; re-record it with `npx create-chatkit-backend dev --record cassettes`');
    expect(await readFile(cassette, 'utf8')).toBe(before);
  });
});

describe('a JWT-protected project', () => {
  it('records with a user token and replays without the secret (replay signs its own)', async () => {
    const project = await copyFixture();
    const mock = await startMockOpenAI({ script: { replies: SESSION_REPLIES } });
    const secret = 'fixture-jwt-secret-0123456789abcdef0123456789';
    try {
      const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('alice').sign(new TextEncoder().encode(secret));
      const cassette = await recordSession(project, mock, { FIXTURE_AUTH: 'jwt', CHATKIT_JWT_SECRET: secret }, { authorization: `Bearer ${token}` });
      const text = await readFile(cassette, 'utf8');
      expect(text).not.toContain(secret);
      expect(text).not.toContain(token);
    } finally {
      await mock.close();
    }
    try {
      const summary = await replayCassettes(['cassettes'], { cwd: project.root, env: { FIXTURE_AUTH: 'jwt' } });
      expect(summary.exitCode, summary.report).toBe(0);
    } finally {
      await project.remove();
    }
  });
});
