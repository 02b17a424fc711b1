/**
 * docs/host-workers.md, run for real: the page's two workers, word for word,
 * under `wrangler dev` (Cloudflare's workerd, installed from the npm
 * registry) with the page's compatibility flag and this checkout's build as
 * `create-chatkit-backend`:
 *
 * - src/worker.ts, whose SQLiteStore reaches a libSQL server over HTTP (the
 *   Hrana server the store suite uses, on a real SQLite file);
 * - src/agent-worker.ts, an Agents SDK agent with a widget tool, its model
 *   from `env` through the provider factory, talking to the local mock of
 *   the Responses API (real server-sent events): the `openai` client, the
 *   Agents SDK and the bridge all inside workerd.
 *
 * A Worker bundle has no `import.meta.url` and no worker threads: this is
 * where a module that touches either when it loads breaks.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import Database from 'libsql';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { docsPage, expectEchoStream, freePort, HELLO } from '../support/echo-host.js';
import { installedTool } from '../support/installed-tool.js';
import { startMockOpenAI, type MockOpenAI } from '../support/mock-openai.js';
import { startHranaServer, type HranaServer } from '../stores/support/hrana-server.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ccb-workers-'));
const SECRET = 'workers-test-secret-0123456789abcdef0123';
const ORIGIN = 'http://localhost:5173';
const FAKE_KEY = 'sk-test-workers-0123456789abcdefghij';

interface RunningWorker {
  base: string;
  output: () => string;
  stop(): void;
}

let wrangler = '';
const workers: RunningWorker[] = [];

beforeAll(async () => {
  inject('packedTarball'); // the build (test/support/global-build.ts)
  wrangler = join(await installedTool('wrangler'), 'wrangler');
}, 300_000);

afterAll(() => {
  for (const worker of workers) worker.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A project holding one of the page's workers as `main`, with `vars` in .dev.vars, served by `wrangler dev`. */
async function startWorker(name: string, main: string, code: string, vars: Record<string, string>): Promise<RunningWorker> {
  const app = join(dir, name);
  mkdirSync(join(app, 'src'), { recursive: true });
  mkdirSync(join(app, 'node_modules', '@openai'), { recursive: true });
  symlinkSync(repo, join(app, 'node_modules', 'create-chatkit-backend'), 'dir');
  // What a project that imports them would have installed.
  symlinkSync(join(repo, 'node_modules', '@openai', 'agents'), join(app, 'node_modules', '@openai', 'agents'), 'dir');
  symlinkSync(join(repo, 'node_modules', 'zod'), join(app, 'node_modules', 'zod'), 'dir');
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }));
  writeFileSync(join(app, main), code);
  // The flag the page asks for.
  writeFileSync(join(app, 'wrangler.toml'), `name = "${name}"\nmain = "${main}"\ncompatibility_date = "2026-11-01"\ncompatibility_flags = ["nodejs_compat"]\n`);
  writeFileSync(join(app, '.dev.vars'), Object.entries(vars).map(([key, value]) => `${key}=${value}\n`).join(''));
  const port = await freePort();
  let output = '';
  const child: ChildProcess = spawn(wrangler, ['dev', '--port', String(port), '--ip', '127.0.0.1'], {
    cwd: app,
    // Wrangler needs Node 22: ours first. Its own process group, so workerd goes with it.
    env: { ...process.env, PATH: `${join(repo, 'node_modules', '.bin')}${delimiter}${process.env.PATH}`, CI: 'true', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const worker: RunningWorker = {
    base: `http://127.0.0.1:${port}`,
    output: () => output,
    stop() {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
    },
  };
  workers.push(worker);
  await new Promise<void>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Ready on http/.test(output)) resolve();
      if (/ERROR|failed to start/.test(output)) reject(new Error(`wrangler dev did not start ${main}:\n${output}`));
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => reject(new Error(`wrangler exited (${code}):\n${output}`)));
  });
  return worker;
}

const token = (sub: string) =>
  new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setExpirationTime('1h').sign(new TextEncoder().encode(SECRET));

const post = async (worker: RunningWorker, body: unknown, user?: string) =>
  fetch(`${worker.base}/chatkit/api`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: ORIGIN, ...(user ? { authorization: `Bearer ${await token(user)}` } : {}) },
    body: JSON.stringify(body),
  });

describe('src/worker.ts (SQLiteStore on a libSQL server)', () => {
  const databaseFile = join(dir, 'chatkit.db');
  let libsql: HranaServer;
  let worker: RunningWorker;

  beforeAll(async () => {
    libsql = await startHranaServer(databaseFile);
    worker = await startWorker('echo-worker', 'src/worker.ts', docsPage('host-workers.md').blocks[0]!, {
      LIBSQL_URL: libsql.url,
      LIBSQL_AUTH_TOKEN: 'unused-by-the-test-server',
      CHATKIT_JWT_SECRET: SECRET,
      FRONTEND_ORIGIN: ORIGIN,
    });
  }, 300_000);

  afterAll(() => libsql?.close());

  it('starts, and streams a reply whose items land in the libSQL database', async () => {
    const events = await expectEchoStream(await post(worker, HELLO, 'ada'), ORIGIN, worker.output());
    const db = new Database(databaseFile, { readonly: true });
    try {
      const rows = db.prepare('SELECT count(*) AS n FROM chatkit_items WHERE thread_id = ?').get(events[0]!.thread!.id) as { n: number };
      expect(rows.n).toBe(2);
    } finally {
      db.close();
    }
  }, 60_000);

  it('refuses a request without a valid token, and keeps each user to their own threads', async () => {
    const anonymous = await post(worker, { type: 'threads.list', params: {} });
    expect(anonymous.status).toBe(401);
    const list = async (user: string) => ((await (await post(worker, { type: 'threads.list', params: {} }, user)).json()) as { data: unknown[] }).data.length;
    expect(await list('ada')).toBe(1);
    expect(await list('grace')).toBe(0);
  }, 60_000);
});

describe('src/agent-worker.ts (an agent, its model from env)', () => {
  let openai: MockOpenAI;
  let worker: RunningWorker;

  beforeAll(async () => {
    openai = await startMockOpenAI({
      script: [{ when: 'time', toolCalls: [{ name: 'show_time', arguments: {} }] }, { text: 'There it is.' }],
    });
    worker = await startWorker('agent-worker', 'src/agent-worker.ts', docsPage('host-workers.md').blocks[1]!, {
      CHATKIT_MODEL_PROVIDER: 'openai',
      CHATKIT_MODEL: 'mock-model',
      OPENAI_API_KEY: FAKE_KEY,
      OPENAI_BASE_URL: openai.baseURL,
      CHATKIT_JWT_SECRET: SECRET,
      FRONTEND_ORIGIN: ORIGIN,
    });
  }, 300_000);

  afterAll(() => openai?.close());

  it('runs the agent inside workerd: the tool streams its widget, then the reply streams as deltas', async () => {
    const response = await post(worker, { ...HELLO, params: { input: { ...HELLO.params.input, content: [{ type: 'input_text', text: 'what time is it?' }] } } }, 'ada');
    expect(response.status, worker.output()).toBe(200);
    const events = (await response.text())
      .split('\n\n')
      .filter((frame) => frame.startsWith('data: '))
      .map((frame) => JSON.parse(frame.slice(6)) as { type: string; item?: { type: string; widget?: { type: string }; content?: { text: string }[] }; update?: { type: string } });
    expect(events.filter((event) => event.type === 'error'), worker.output()).toEqual([]);
    const done = events.filter((event) => event.type === 'thread.item.done').map((event) => event.item!);
    expect(done.map((item) => item.type)).toEqual(['user_message', 'widget', 'assistant_message']);
    expect(done[1]!.widget!.type).toBe('Card');
    expect(done[2]!.content![0]!.text).toBe('There it is.');
    expect(events.some((event) => event.update?.type === 'assistant_message.content_part.text_delta')).toBe(true);
    // The real `openai` client, from workerd, with the key from env; never the key in what the client saw.
    expect(openai.requests.map((request) => request.path)).toEqual(['/v1/responses', '/v1/responses']);
    expect(openai.requests[0]!.headers.authorization).toBe(`Bearer ${FAKE_KEY}`);
    expect(JSON.stringify(events)).not.toContain(FAKE_KEY);
  }, 60_000);
});
