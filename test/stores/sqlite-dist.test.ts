/**
 * The built package's SQLiteStore: compiled with the package's own build
 * config, then used from plain Node (no TypeScript loader), as a generated
 * project uses it. Checks that the worker file is found next to the compiled
 * store, that writes and reads work through it, and that an idle store does
 * not keep the process alive.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, expect, test } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
// Inside the repository so the compiled files resolve the package's dependencies; not dist/, which other tests build.
const out = join(repo, 'node_modules', '.cache', `sqlite-dist-test-${process.pid}`);
const data = mkdtempSync(join(tmpdir(), 'chatkit-sqlite-dist-'));

beforeAll(async () => {
  await execa(join(repo, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json', '--outDir', out], { cwd: repo });
}, 180_000);

afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  rmSync(data, { recursive: true, force: true });
});

test('the compiled store runs its worker from plain Node, and an idle store lets the process exit', async () => {
  expect(existsSync(join(out, 'runtime', 'stores', 'sqlite', 'worker.js'))).toBe(true);
  const script = join(out, 'use-sqlite-store.mjs');
  writeFileSync(
    script,
    `import { SQLiteStore } from './runtime/stores/sqlite/index.js';
const store = new SQLiteStore({ url: process.argv[2] });
await store.saveThread({ id: 'thr_1', created_at: new Date().toISOString(), status: { type: 'active' }, metadata: {} }, {});
await Promise.all(Array.from({ length: 20 }, (_, i) => store.addThreadItem('thr_1', {
  id: 'msg_' + String(i).padStart(2, '0'), thread_id: 'thr_1', created_at: new Date().toISOString(),
  type: 'assistant_message', content: [{ type: 'output_text', text: 'hi ' + i, annotations: [] }],
}, {})));
const page = await store.loadThreadItems('thr_1', null, 50, 'asc', {});
console.log(JSON.stringify({ items: page.data.length, last: page.data.at(-1).id }));
// No close(): the process must still end on its own.
`,
  );
  const result = await execa(process.execPath, [script, join(data, 'chat.db')], { timeout: 60_000, reject: false, env: { ...process.env, NODE_OPTIONS: '' } });
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  expect(JSON.parse(result.stdout)).toEqual({ items: 20, last: 'msg_19' });
  expect(existsSync(join(data, 'chat.db'))).toBe(true);
});
