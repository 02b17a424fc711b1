/**
 * The scripted model runs for good in generated apps without a key: it must
 * not keep what it was asked. Child processes run with `--expose-gc` so the
 * heap can be measured after full collections: 10,000 streamed responses
 * from the model to requests carrying a long history, and 600 replies of a
 * whole app (ChatKitServer, agents bridge, Agents SDK) on a long thread.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');

interface HeapReport {
  warmHeap: number;
  endHeap: number;
  checkpoints: number[];
}

async function measure(env: Record<string, string>): Promise<HeapReport> {
  const { stdout } = await run(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', join(root, 'test/providers/support/heap-after-streams.ts')],
    { cwd: root, env: { ...process.env, ...env }, maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout) as HeapReport;
}

test('10,000 streams: the heap after GC stays flat (it grew with every request before)', async () => {
  const { warmHeap, endHeap, checkpoints } = await measure({ MODE: 'model', STREAMS: '10000', WARM_UP: '1000' });
  expect(checkpoints).toHaveLength(9);
  // Each request holds ~60 KB of history: keeping them would add ~540 MB over 9,000 streams.
  expect(endHeap - warmHeap).toBeLessThan(4 * 1024 * 1024);
}, 180_000);

test('a whole app on a long thread: 400 more replies leave the heap where it was (it grew ~74 MB per 1,000 before)', async () => {
  const { warmHeap, endHeap } = await measure({ STREAMS: '600', WARM_UP: '200' });
  expect(endHeap - warmHeap).toBeLessThan(6 * 1024 * 1024);
}, 300_000);
