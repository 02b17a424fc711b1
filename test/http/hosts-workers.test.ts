/**
 * docs/host-workers.md, run for real: the page's src/worker.ts, word for
 * word, under `wrangler dev` (Cloudflare's workerd, installed from the npm
 * registry), with the page's compatibility flag, this checkout's build as
 * `create-chatkit-backend`, and its SQLiteStore reaching a libSQL server
 * over HTTP (the Hrana server the store suite uses, on a real SQLite file).
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
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { docsPage, expectEchoStream, freePort, HELLO } from '../support/echo-host.js';
import { installedTool } from '../support/installed-tool.js';
import { startHranaServer, type HranaServer } from '../stores/support/hrana-server.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ccb-workers-'));
const app = join(dir, 'app');
const databaseFile = join(dir, 'chatkit.db');
const SECRET = 'workers-test-secret-0123456789abcdef0123';
const ORIGIN = 'http://localhost:5173';

let libsql: HranaServer;
let wrangler: ChildProcess;
let output = '';
let base = '';

const token = (sub: string) =>
  new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setExpirationTime('1h').sign(new TextEncoder().encode(SECRET));

beforeAll(async () => {
  inject('packedTarball'); // the build (test/support/global-build.ts)
  const bin = await installedTool('wrangler', '4.164.0');
  libsql = await startHranaServer(databaseFile);
  mkdirSync(join(app, 'src'), { recursive: true });
  mkdirSync(join(app, 'node_modules'));
  symlinkSync(repo, join(app, 'node_modules', 'create-chatkit-backend'), 'dir');
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'workers-app', private: true, type: 'module' }));
  writeFileSync(join(app, 'src', 'worker.ts'), docsPage('host-workers.md').code);
  // The flag the page asks for.
  writeFileSync(join(app, 'wrangler.toml'), 'name = "chatkit-test"\nmain = "src/worker.ts"\ncompatibility_date = "2026-11-01"\ncompatibility_flags = ["nodejs_compat"]\n');
  writeFileSync(
    join(app, '.dev.vars'),
    `LIBSQL_URL=${libsql.url}\nLIBSQL_AUTH_TOKEN=unused-by-the-test-server\nCHATKIT_JWT_SECRET=${SECRET}\nFRONTEND_ORIGIN=${ORIGIN}\n`,
  );
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  wrangler = spawn(join(bin, 'wrangler'), ['dev', '--port', String(port), '--ip', '127.0.0.1'], {
    cwd: app,
    // Wrangler needs Node 22: ours first. Its own process group, so workerd goes with it.
    env: { ...process.env, PATH: `${join(repo, 'node_modules', '.bin')}${delimiter}${process.env.PATH}`, CI: 'true', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  wrangler.stdout!.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  wrangler.stderr!.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (/Ready on http/.test(output)) return resolve();
      if (/ERROR|failed to start/.test(output)) return reject(new Error(`wrangler dev did not start the Worker:\n${output}`));
    };
    wrangler.stdout!.on('data', check);
    wrangler.stderr!.on('data', check);
    wrangler.once('exit', (code) => reject(new Error(`wrangler exited (${code}):\n${output}`)));
  });
}, 300_000);

afterAll(async () => {
  if (wrangler?.pid) {
    try {
      process.kill(-wrangler.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  await libsql?.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = async (body: unknown, user?: string) =>
  fetch(`${base}/chatkit/api`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: ORIGIN, ...(user ? { authorization: `Bearer ${await token(user)}` } : {}) },
    body: JSON.stringify(body),
  });

it('starts, and streams a reply whose items land in the libSQL database', async () => {
  const events = await expectEchoStream(await post(HELLO, 'ada'), ORIGIN, output);
  const db = new Database(databaseFile, { readonly: true });
  try {
    const rows = db.prepare('SELECT count(*) AS n FROM chatkit_items WHERE thread_id = ?').get(events[0]!.thread!.id) as { n: number };
    expect(rows.n).toBe(2);
  } finally {
    db.close();
  }
}, 60_000);

it('refuses a request without a valid token, and keeps each user to their own threads', async () => {
  const anonymous = await post({ type: 'threads.list', params: {} });
  expect(anonymous.status).toBe(401);
  const list = async (user: string) => ((await (await post({ type: 'threads.list', params: {} }, user)).json()) as { data: unknown[] }).data.length;
  expect(await list('ada')).toBe(1);
  expect(await list('grace')).toBe(0);
}, 60_000);
