/**
 * One attachment contract, run unchanged against every store that keeps
 * bytes: the local file store and the S3 store (against a local
 * S3-compatible server that checks presigned signatures). Everything goes
 * over real HTTP: the ChatKit endpoint, the upload routes, the URLs the
 * store hands out (our routes, or the bucket).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { FileAttachmentStore } from '../../src/runtime/attachments/index.js';
import type { AttachmentByteStore } from '../../src/runtime/attachments/byte-store.js';
import { S3AttachmentStore } from '../../src/runtime/attachments/s3/index.js';
import { MemoryStore } from '../../src/runtime/index.js';
import { ScriptedServer } from '../support/scripted-server.js';
import { S3_ACCESS_KEY, S3_SECRET_KEY, startLocalS3, type LocalS3 } from '../support/s3-server.js';
import { eventually, headerOf, post, startApp, type Running } from '../http/support.js';

type Context = { userId: string };
interface StoreSettings {
  maxBytes: number;
  previewUrlTtlSeconds?: number;
}
interface Subject {
  name: string;
  setUp(): Promise<void>;
  make(settings: StoreSettings): AttachmentByteStore<Context>;
  tearDown(): Promise<void>;
}

const MAX_BYTES = 8 * 1024 * 1024;
const ALLOWED = ['image/png', 'application/pdf'];
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

let dir: string;
let s3: LocalS3;
const subjects: Subject[] = [
  {
    name: 'FileAttachmentStore',
    setUp: async () => {
      dir = await mkdtemp(join(tmpdir(), 'chatkit-contract-'));
    },
    make: (settings) => new FileAttachmentStore<Context>({ dir, allowedMimeTypes: ALLOWED, ...settings }),
    tearDown: () => rm(dir, { recursive: true, force: true }),
  },
  {
    name: 'S3AttachmentStore',
    setUp: async () => {
      s3 = await startLocalS3();
    },
    make: (settings) =>
      new S3AttachmentStore<Context>({
        bucket: s3.bucket,
        endpoint: s3.endpoint,
        forcePathStyle: true,
        credentials: { accessKeyId: S3_ACCESS_KEY, secretAccessKey: S3_SECRET_KEY },
        allowedMimeTypes: ALLOWED,
        ...settings,
      }),
    tearDown: () => s3.close(),
  },
];

describe.each(subjects)('attachment contract: $name', (subject) => {
  let running: Running | undefined;
  beforeAll(() => subject.setUp());
  afterAll(() => subject.tearDown());
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  async function serve(settings: Partial<StoreSettings> = {}): Promise<Running> {
    const files = subject.make({ maxBytes: MAX_BYTES, ...settings });
    const store = new MemoryStore<Context>({ ownerOf: (context) => context.userId });
    running = await startApp({
      server: new ScriptedServer(store, files),
      auth: { verify: (request: { headers: unknown }) => { const user = headerOf(request, 'x-user'); return user ? { userId: user } : null; } },
    });
    return running;
  }

  async function announce(app: Running, params: { name: string; size: number; mime_type: string }, user = 'alice') {
    const response = await post(app.endpoint, { type: 'attachments.create', params }, { 'x-user': user });
    return { status: response.status, body: await response.json() };
  }

  /** The second phase as a ChatKit client does it: the descriptor's method, URL and headers. */
  function sendTo(descriptor: { url: string; method: string; headers: Record<string, string> }, bytes: Uint8Array, contentType?: string) {
    const headers: Record<string, string> = { ...descriptor.headers, 'x-user': 'alice' };
    if (contentType) headers['content-type'] = contentType;
    return fetch(descriptor.url, { method: descriptor.method, body: new Uint8Array(bytes), headers });
  }

  async function bytesAt(url: string, headers: Record<string, string> = {}) {
    const response = await fetch(url, { headers });
    return { status: response.status, type: response.headers.get('content-type'), bytes: Buffer.from(await response.arrayBuffer()) };
  }

  function direct(app: Running, name: string, type: string, bytes: Uint8Array, user = 'alice') {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
    return fetch(`${app.url}${app.chatkit.uploadPath}`, { method: 'POST', body: form, headers: { 'x-user': user } });
  }

  test('two-phase: the announced bytes go to the descriptor, and the preview URL serves them without credentials', async () => {
    const app = await serve();
    const { status, body: attachment } = await announce(app, { name: 'cat.png', size: PNG.length, mime_type: 'image/png' });
    expect(status).toBe(200);
    expect(attachment).toMatchObject({ name: 'cat.png', mime_type: 'image/png', type: 'image' });
    expect(attachment.upload_descriptor.method).toBe('PUT');
    const sent = await sendTo(attachment.upload_descriptor, PNG);
    expect(sent.status).toBe(200);
    const preview = await bytesAt(attachment.preview_url);
    expect(preview).toMatchObject({ status: 200, type: 'image/png' });
    expect(preview.bytes).toEqual(PNG);
  });

  test('two-phase: more bytes than announced, or another type, are refused and nothing is stored', async () => {
    const app = await serve();
    const { body: tooMany } = await announce(app, { name: 'cat.png', size: PNG.length, mime_type: 'image/png' });
    const refusedSize = await sendTo(tooMany.upload_descriptor, Buffer.concat([PNG, PNG]));
    expect(refusedSize.status).toBeGreaterThanOrEqual(400);
    expect(refusedSize.status).toBeLessThan(500);
    expect((await bytesAt(tooMany.preview_url)).status).toBeGreaterThanOrEqual(400);

    const { body: otherType } = await announce(app, { name: 'doc.pdf', size: 5, mime_type: 'application/pdf' });
    const refusedType = await sendTo(otherType.upload_descriptor, Buffer.from('%PDF-'), 'image/png');
    expect(refusedType.status).toBeGreaterThanOrEqual(400);
    expect(refusedType.status).toBeLessThan(500);
  });

  test('attachments.create refuses a size over the limit (413) and a type outside the allowlist (415)', async () => {
    const app = await serve({ maxBytes: 1024 });
    expect((await announce(app, { name: 'big.png', size: 4096, mime_type: 'image/png' })).status).toBe(413);
    expect((await announce(app, { name: 'x.svg', size: 10, mime_type: 'image/svg+xml' })).status).toBe(415);
  });

  test('direct upload streams the file through, including one larger than a single S3 part', async () => {
    const app = await serve();
    const big = randomBytes(6 * 1024 * 1024 + 123);
    for (const bytes of [PNG, big]) {
      const response = await direct(app, 'photo.png', 'image/png', bytes);
      expect(response.status).toBe(200);
      const attachment = await response.json();
      expect(attachment).toMatchObject({ name: 'photo.png', type: 'image', mime_type: 'image/png' });
      const preview = await bytesAt(attachment.preview_url);
      expect(preview.status).toBe(200);
      expect(preview.bytes.equals(bytes)).toBe(true);
    }
  });

  test('direct upload past the limit → 413, and a disallowed type → 415', async () => {
    const app = await serve({ maxBytes: 1024 });
    expect((await direct(app, 'big.png', 'image/png', new Uint8Array(4096))).status).toBe(413);
    expect((await direct(app, 'x.html', 'text/html', Buffer.from('<p>'))).status).toBe(415);
  });

  test('per-user isolation: only the owner reaches the unsigned preview route or deletes', async () => {
    const app = await serve();
    const attachment = await (await direct(app, 'cat.png', 'image/png', PNG)).json();
    const unsigned = `${app.url}${app.chatkit.uploadPath}/${attachment.id}/preview`;
    expect((await bytesAt(unsigned)).status).toBe(401);
    expect((await bytesAt(unsigned, { 'x-user': 'mallory' })).status).toBe(404);
    const own = await bytesAt(unsigned, { 'x-user': 'alice' });
    expect(own.status).toBe(200);
    expect(own.bytes).toEqual(PNG);
    const stolen = await post(app.endpoint, { type: 'attachments.delete', params: { attachment_id: attachment.id } }, { 'x-user': 'mallory' });
    expect(stolen.status).toBe(404);
    expect((await bytesAt(attachment.preview_url)).status).toBe(200);
  });

  test('delete removes the bytes: the preview URL and the owner route stop serving them', async () => {
    const app = await serve();
    const attachment = await (await direct(app, 'cat.png', 'image/png', PNG)).json();
    const deleted = await post(app.endpoint, { type: 'attachments.delete', params: { attachment_id: attachment.id } }, { 'x-user': 'alice' });
    expect(deleted.status).toBe(200);
    expect((await bytesAt(attachment.preview_url)).status).toBeGreaterThanOrEqual(400);
    expect((await bytesAt(`${app.url}${app.chatkit.uploadPath}/${attachment.id}/preview`, { 'x-user': 'alice' })).status).toBe(404);
  });

  test('a preview URL works for its lifetime and not after', async () => {
    const app = await serve({ previewUrlTtlSeconds: 3 });
    const attachment = await (await direct(app, 'cat.png', 'image/png', PNG)).json();
    expect((await bytesAt(attachment.preview_url)).status).toBe(200);
    // Waits for the expiry to pass (at most three seconds), checking as it goes.
    const expired = await eventually(async () => {
      const { status } = await bytesAt(attachment.preview_url);
      return status >= 400 ? status : undefined;
    }, 'the preview URL to expire');
    expect([401, 403]).toContain(expired);
  });
});
