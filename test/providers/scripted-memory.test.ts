/**
 * The scripted model runs for good in generated apps without a key: it must
 * not keep what it was asked. 10,000 streamed responses to requests carrying
 * a long history, in a child process run with `--expose-gc` so the heap can
 * be measured after a full collection.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');

test('10,000 streams: the heap after GC stays flat (it grew with every request before)', async () => {
  const { stdout } = await run(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', join(root, 'test/providers/support/heap-after-streams.ts')],
    { cwd: root, env: { ...process.env, MODE: 'model', STREAMS: '10000', WARM_UP: '1000' }, maxBuffer: 1 << 20 },
  );
  const { warmHeap, endHeap, checkpoints } = JSON.parse(stdout) as { warmHeap: number; endHeap: number; checkpoints: number[] };
  expect(checkpoints).toHaveLength(9);
  // Each request holds ~60 KB of history: keeping them would add ~540 MB over 9,000 streams.
  expect(endHeap - warmHeap).toBeLessThan(4 * 1024 * 1024);
}, 180_000);
