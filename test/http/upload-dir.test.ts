/**
 * The upload directory is created on first use; a failure to create it
 * (here: a file in its place) is not remembered, so uploads recover once
 * the cause is gone, without a restart.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { FileAttachmentStore } from '../../src/runtime/attachments/index.js';

test('a failed directory creation is retried on the next upload', async () => {
  const root = await mkdtemp(join(tmpdir(), 'ccb-upload-dir-'));
  try {
    const dir = join(root, 'uploads');
    await writeFile(dir, 'not a directory');
    const store = new FileAttachmentStore({ dir });
    const bytes = async function* () {
      yield new TextEncoder().encode('hello');
    };
    await expect(store.writeBytes('atc_one', 'text/plain', bytes())).rejects.toThrow();
    await rm(dir);
    await expect(store.writeBytes('atc_two', 'text/plain', bytes())).resolves.toBe(5);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
