/**
 * docs/host-bun-deno.md, run for real: the page's server.ts, word for word,
 * and with the store swapped for a SQLiteStore on a file as the page says,
 * served by Bun (`bun run server.ts`) and by Deno (`deno serve`, with the
 * permissions the page lists), both installed from the npm registry
 * (test/support/installed-tool.ts), with this checkout's build as
 * `create-chatkit-backend`. Over real TCP: a ChatKit stream, the sign-in
 * check, CORS, and one user not seeing another's threads.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'libsql';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { docsPage, expectEchoStream, freePort, HELLO } from '../support/echo-host.js';
import { installedTool } from '../support/installed-tool.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ccb-hosts-'));
const ORIGIN = 'http://localhost:5173';

/** The page's server. */
const pageServer = () => docsPage('host-bun-deno.md').code;

/** The page's server with the store line the page gives for a SQLite file. */
function sqliteServer(): string {
  const store = /^ {2}server: new EchoServer\(new MemoryStore<Context>\(\{ ownerOf: \(context\) => context\.userId \}\)\),$/m;
  const replacement = /`(new SQLiteStore<Context>\(\{[^`]*\}\))`/.exec(docsPage('host-bun-deno.md').text)?.[1];
  if (!store.test(pageServer()) || !replacement) throw new Error('docs/host-bun-deno.md no longer has the store lines this test swaps');
  return `import { SQLiteStore } from 'create-chatkit-backend/stores/sqlite';\n${pageServer().replace(store, `  server: new EchoServer(${replacement}),`)}`;
}

beforeAll(() => {
  // The built package (test/support/global-build.ts) as the app's dependency.
  inject('packedTarball');
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(repo, join(dir, 'node_modules', 'create-chatkit-backend'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'host-app', private: true, type: 'module' }));
  writeFileSync(join(dir, 'server.ts'), pageServer());
  writeFileSync(join(dir, 'server-sqlite.ts'), sqliteServer());
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Deno's flags for libSQL's native module and its file (the page lists them). */
const DENO_SQLITE_FLAGS = ['--allow-read', '--allow-write', '--allow-ffi', '--allow-sys'];

const HOSTS = [
  { name: 'bun', store: 'memory', args: () => ['run', 'server.ts'] },
  { name: 'bun', store: 'sqlite', args: () => ['run', 'server-sqlite.ts'] },
  {
    name: 'deno',
    store: 'memory',
    // As the page says: `deno serve --allow-net --allow-env server.ts` (and read access for node_modules).
    args: (port: number) => ['serve', '--allow-net', '--allow-env', '--allow-read', '--port', String(port), 'server.ts'],
  },
  {
    name: 'deno',
    store: 'sqlite',
    args: (port: number) => ['serve', '--allow-net', '--allow-env', ...DENO_SQLITE_FLAGS, '--port', String(port), 'server-sqlite.ts'],
  },
] as const;

describe.each(HOSTS)('on $name with the $store store', (host) => {
  let child: ChildProcess;
  let base = '';
  let output = '';

  beforeAll(async () => {
    const bin = await installedTool(host.name);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // Bun's `export default { fetch }` server listens on PORT.
    child = spawn(join(bin, host.name), host.args(port), { cwd: dir, env: { ...process.env, PORT: String(port), CHATKIT_SQLITE_URL: `file:data/${host.name}.db`, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    // Ready when it answers (a 404 for an unknown path is an answer).
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${host.name} exited (${child.exitCode}):\n${output}`);
      const answered = await fetch(`${base}/ready`).then(() => true, () => false);
      if (answered) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 300_000);

  afterAll(() => {
    child?.kill();
  });

  const post = (body: unknown, user?: string) =>
    fetch(`${base}/chatkit/api`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN, ...(user ? { 'x-demo-user': user } : {}) },
      body: JSON.stringify(body),
    });

  it('streams a ChatKit reply as server-sent events, with CORS for the frontend', async () => {
    await expectEchoStream(await post(HELLO, 'ada'), ORIGIN, output);
  });

  it('refuses a caller the auth hook does not know, and answers the preflight', async () => {
    const anonymous = await post({ type: 'threads.list', params: {} });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: expect.any(String) } });
    const preflight = await fetch(`${base}/chatkit/api`, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  });

  it("lists a user's own threads only", async () => {
    const list = async (user: string) => ((await (await post({ type: 'threads.list', params: {} }, user)).json()) as { data: unknown[] }).data.length;
    expect(await list('ada')).toBe(1);
    expect(await list('grace')).toBe(0);
    if (host.store === 'sqlite') {
      const db = new Database(join(dir, 'data', `${host.name}.db`), { readonly: true });
      try {
        expect((db.prepare('SELECT count(*) AS n FROM chatkit_items').get() as { n: number }).n).toBe(2);
      } finally {
        db.close();
      }
    }
  });
});
