import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { FileAttachmentStore } from '../../src/runtime/attachments/index.js';
import { MemoryStore } from '../../src/runtime/index.js';
import { ScriptedServer } from '../support/scripted-server.js';
import { post, startApp, type Running, DOORS, headerOf, starterFor } from './support.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const ORIGIN = 'https://app.example.com';
let running: Running;
let dir: string;
let parent: string;
let files: FileAttachmentStore<{ userId: string }>;

describe.each(DOORS)('through the %s front door', (door) => {
  const startApp = starterFor(door);

  beforeEach(async () => {
    parent = await mkdtemp(join(tmpdir(), 'chatkit-uploads-'));
    dir = join(parent, 'uploads');
    files = new FileAttachmentStore({ dir, maxBytes: 1024, allowedMimeTypes: ['image/png', 'application/pdf'] });
    const store = new MemoryStore<{ userId: string }>({ ownerOf: (context) => context.userId });
    const server = new ScriptedServer(store, files);
    running = await startApp({
      server,
      auth: { verify: (request: { headers: unknown }) => { const user = headerOf(request, 'x-user'); return user ? { userId: user } : null; } },
      cors: { origins: [ORIGIN], allowedHeaders: ['x-user'] },
    });
  });
  afterEach(async () => {
    await running.close();
    await rm(parent, { recursive: true, force: true });
  });

  function uploadUrl() {
    return `${running.url}${running.chatkit.uploadPath}`;
  }

  function direct(name: string, type: string, bytes: Uint8Array<ArrayBuffer>, user = 'alice') {
    const form = new FormData();
    form.append('file', new Blob([bytes], { type }), name);
    return fetch(uploadUrl(), { method: 'POST', body: form, headers: { 'x-user': user, origin: ORIGIN } });
  }

  async function createAttachment(params: { name: string; size: number; mime_type: string }, user = 'alice') {
    return post(running.endpoint, { type: 'attachments.create', params }, { 'x-user': user });
  }

  /** Every file under the temporary parent, so writes outside `dir` would show. */
  async function allFiles(): Promise<string[]> {
    return (await readdir(parent, { recursive: true })).sort();
  }

  describe('direct upload', () => {
    test('stores the bytes under a generated name and answers the Attachment JSON', async () => {
      const response = await direct('cat.png', 'image/png', PNG);
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      const attachment = await response.json();
      expect(attachment).toMatchObject({ name: 'cat.png', mime_type: 'image/png', type: 'image' });
      expect(attachment.id).toMatch(/^atc_[0-9a-f]{24}$/);
      expect(attachment.metadata).toBeUndefined();
      expect(await readFile(join(dir, attachment.id))).toEqual(PNG);
      expect(await allFiles()).toEqual(['uploads', `uploads/${attachment.id}`, `uploads/${attachment.id}.json`]);

      // The signed preview URL works without credentials, as an <img src> needs.
      const preview = await fetch(attachment.preview_url);
      expect(preview.status).toBe(200);
      expect(preview.headers.get('content-type')).toBe('image/png');
      expect(preview.headers.get('x-content-type-options')).toBe('nosniff');
      expect(Buffer.from(await preview.arrayBuffer())).toEqual(PNG);
      // Without the signature: only the owner.
      const unsigned = attachment.preview_url.split('?')[0];
      expect((await fetch(unsigned)).status).toBe(401);
      expect((await fetch(unsigned, { headers: { 'x-user': 'mallory' } })).status).toBe(404);
      expect((await fetch(unsigned, { headers: { 'x-user': 'alice' } })).status).toBe(200);
      expect((await fetch(`${unsigned}?sig=forged`)).status).toBe(401);
    });

    test('too large → 413 and nothing is left on disk', async () => {
      const response = await direct('big.png', 'image/png', new Uint8Array(2048));
      expect(response.status).toBe(413);
      expect((await response.json()).error.code).toBe('payload_too_large');
      expect((await allFiles()).filter((f) => f !== 'uploads')).toEqual([]);
    });

    test('a type outside the allowlist → 415', async () => {
      const response = await direct('page.html', 'text/html', Buffer.from('<script>alert(1)</script>'));
      expect(response.status).toBe(415);
      const json = await response.json();
      expect(json.error.code).toBe('unsupported_media_type');
      expect(json.error.message).toMatch(/"text\/html" is not an accepted upload type; accepted: image\/png, application\/pdf/);
    });

    test.each(['../../evil.png', '..\\..\\evil.png', 'nested/evil.png', '..', 'a\u0000b.png'])('path-traversal name %j → 400, nothing written', async (name) => {
      const response = await direct(name, 'image/png', PNG);
      expect(response.status).toBe(400);
      expect((await response.json()).error.message).toMatch(/file name/);
      expect((await allFiles()).filter((f) => f !== 'uploads')).toEqual([]);
    });

    test('without credentials → 401', async () => {
      const form = new FormData();
      form.append('file', new Blob([PNG], { type: 'image/png' }), 'cat.png');
      const response = await fetch(uploadUrl(), { method: 'POST', body: form });
      expect(response.status).toBe(401);
    });
  });

  describe('two-phase upload', () => {
    test('attachments.create → PUT the bytes to the descriptor → preview → delete', async () => {
      const created = await createAttachment({ name: 'cat.png', size: PNG.length, mime_type: 'image/png' });
      expect(created.status).toBe(200);
      const attachment = await created.json();
      expect(attachment.upload_descriptor).toEqual({ url: `${uploadUrl()}/${attachment.id}`, method: 'PUT', headers: {} });
      expect(attachment.metadata).toBeUndefined();

      // Preflight for the upload URL.
      const preflight = await fetch(attachment.upload_descriptor.url, {
        method: 'OPTIONS',
        headers: { origin: ORIGIN, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'x-user,content-type' },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT');

      // Someone else cannot upload into it.
      const intruder = await fetch(attachment.upload_descriptor.url, { method: 'PUT', body: PNG, headers: { 'x-user': 'mallory', 'content-type': 'image/png' } });
      expect(intruder.status).toBe(404);

      const uploaded = await fetch(attachment.upload_descriptor.url, { method: 'PUT', body: PNG, headers: { 'x-user': 'alice', 'content-type': 'image/png' } });
      expect(uploaded.status).toBe(200);
      const done = await uploaded.json();
      expect(done.upload_descriptor).toBeUndefined();
      expect(await readFile(join(dir, attachment.id))).toEqual(PNG);

      const again = await fetch(attachment.upload_descriptor.url, { method: 'PUT', body: PNG, headers: { 'x-user': 'alice' } });
      expect(again.status).toBe(409);

      expect(Buffer.from(await (await fetch(attachment.preview_url)).arrayBuffer())).toEqual(PNG);

      const deleted = await post(running.endpoint, { type: 'attachments.delete', params: { attachment_id: attachment.id } }, { 'x-user': 'alice' });
      expect(deleted.status).toBe(200);
      expect((await allFiles()).filter((f) => f !== 'uploads')).toEqual([]);
    });

    test('multipart POST to the descriptor works too', async () => {
      const attachment = await (await createAttachment({ name: 'doc.pdf', size: 5, mime_type: 'application/pdf' })).json();
      expect(attachment.type).toBe('file');
      const form = new FormData();
      form.append('file', new Blob([Buffer.from('%PDF-')], { type: 'application/pdf' }), 'doc.pdf');
      const response = await fetch(attachment.upload_descriptor.url, { method: 'POST', body: form, headers: { 'x-user': 'alice' } });
      expect(response.status).toBe(200);
      expect(await readFile(join(dir, attachment.id), 'utf8')).toBe('%PDF-');
      // Files have no preview.
      expect((await fetch(`${uploadUrl()}/${attachment.id}/preview`, { headers: { 'x-user': 'alice' } })).status).toBe(404);
    });

    test.each([
      [{ name: 'big.png', size: 4096, mime_type: 'image/png' }, 413, /params.size: 4096 bytes exceeds the 1024-byte upload limit/],
      [{ name: 'x.svg', size: 10, mime_type: 'image/svg+xml' }, 415, /params.mime_type: "image\/svg\+xml" is not an accepted upload type/],
      [{ name: '../../etc/passwd', size: 10, mime_type: 'application/pdf' }, 400, /params.name: the file name must not contain/],
      [{ name: '.', size: 10, mime_type: 'application/pdf' }, 400, /params.name: the file name must not be "\." \(that names a directory\)/],
    ])('attachments.create %j → %i', async (params, status, message) => {
      const response = await createAttachment(params);
      expect(response.status).toBe(status);
      expect((await response.json()).error.message).toMatch(message);
    });

    test('bytes beyond the limit are refused even when the announced size was small', async () => {
      const attachment = await (await createAttachment({ name: 'cat.png', size: 10, mime_type: 'image/png' })).json();
      const response = await fetch(attachment.upload_descriptor.url, { method: 'PUT', body: new Uint8Array(4096), headers: { 'x-user': 'alice' } });
      expect(response.status).toBe(413);
      expect((await allFiles()).filter((f) => f !== 'uploads')).toEqual([]);
    });

    test('a raw upload with a disallowed content type → 415', async () => {
      const attachment = await (await createAttachment({ name: 'cat.png', size: 10, mime_type: 'image/png' })).json();
      const response = await fetch(attachment.upload_descriptor.url, { method: 'PUT', body: '<html>', headers: { 'x-user': 'alice', 'content-type': 'text/html' } });
      expect(response.status).toBe(415);
    });

    test('attachment ids that try to leave the directory are refused', async () => {
      for (const id of ['..%2F..%2Fetc%2Fpasswd', '..', '%2E%2E']) {
        const put = await fetch(`${uploadUrl()}/${id}`, { method: 'PUT', body: PNG, headers: { 'x-user': 'alice' } });
        // fetch normalizes `..` away, so some of these land on other routes; none may succeed.
        expect(put.status).toBeGreaterThanOrEqual(400);
        const preview = await fetch(`${uploadUrl()}/${id}/preview?sig=x`);
        expect(preview.status).toBeGreaterThanOrEqual(400);
      }
      expect((await allFiles()).filter((f) => f !== 'uploads')).toEqual([]);
    });
  });
});

test('FileAttachmentStore never maps an unsafe id to a path', () => {
  const store = new FileAttachmentStore({ dir: '/tmp/x' });
  for (const id of ['../etc/passwd', 'a/b', '..', 'a\\b', '', 'x'.repeat(200)]) expect(() => store.pathOf(id)).toThrow(/not found/);
  expect(store.pathOf('atc_0123456789abcdef01234567')).toBe('/tmp/x/atc_0123456789abcdef01234567');
});
