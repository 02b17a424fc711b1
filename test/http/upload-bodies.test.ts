/**
 * Upload routes take the bytes exactly as sent, whatever the content type
 * (browsers send the file's own type on the two-phase PUT), up to the
 * store's limit; every answer under them has the JSON error shape; signed
 * preview URLs expire.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { FileAttachmentStore } from '../../src/runtime/attachments/index.js';
import { MemoryStore } from '../../src/runtime/index.js';
import { ScriptedServer } from '../support/scripted-server.js';
import { post, startApp, type Running, DOORS, headerOf, starterFor } from './support.js';

const MAX_BYTES = 2 * 1024 * 1024;
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
let running: Running;
let dir: string;

describe.each(DOORS)('through the %s front door', (door) => {
  const startApp = starterFor(door);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'chatkit-upload-bodies-'));
    const files = new FileAttachmentStore<{ userId: string }>({ dir, maxBytes: MAX_BYTES, previewUrlTtlSeconds: 600 });
    const store = new MemoryStore<{ userId: string }>({ ownerOf: (context) => context.userId });
    running = await startApp({
      server: new ScriptedServer(store, files),
      auth: { verify: (request: { headers: unknown }) => { const user = headerOf(request, 'x-user'); return user ? { userId: user } : null; } },
    });
  });
  afterEach(async () => {
    vi.useRealTimers();
    await running.close();
    await rm(dir, { recursive: true, force: true });
  });

  const uploadUrl = () => `${running.url}${running.chatkit.uploadPath}`;

  async function announce(name: string, size: number, mimeType: string) {
    const response = await post(running.endpoint, { type: 'attachments.create', params: { name, size, mime_type: mimeType } }, { 'x-user': 'alice' });
    expect(response.status).toBe(200);
    return response.json();
  }

  async function putBytes(url: string, body: Uint8Array<ArrayBuffer> | string, contentType: string) {
    return fetch(url, { method: 'PUT', body, headers: { 'x-user': 'alice', 'content-type': contentType } });
  }

  describe('two-phase PUT stores the bytes as sent, whatever the content type', () => {
    const cases: [string, string, Buffer][] = [
      ['a JSON object', 'application/json', Buffer.from('{"a":[1,2,{"b":null}]}')],
      ['invalid JSON', 'application/json', Buffer.from('{"unterminated": ')],
      ['a JSON string', 'application/json', Buffer.from('"hello"')],
      ['invalid UTF-8 text', 'text/plain', Buffer.from([0x61, 0xff, 0xfe, 0x62])],
      ['text with a charset', 'text/plain; charset=utf-8', Buffer.from('héllo\r\n')],
    ];
    test.each(cases)('%s (%s)', async (_name, type, bytes) => {
      const attachment = await announce('file', bytes.length, type);
      const response = await putBytes(attachment.upload_descriptor.url, new Uint8Array(bytes), type);
      expect(response.status).toBe(200);
      const json = await response.json();
      expect(json.id).toBe(attachment.id);
      expect(await readFile(join(dir, attachment.id))).toEqual(bytes);
    });

    test('a text file over 1 MiB is accepted up to the store limit, and refused past it naming that limit', async () => {
      const big = Buffer.alloc(1536 * 1024, 'a');
      const attachment = await announce('big.txt', big.length, 'text/plain');
      const stored = await putBytes(attachment.upload_descriptor.url, big, 'text/plain');
      expect(stored.status).toBe(200);
      expect((await readFile(join(dir, attachment.id))).length).toBe(big.length);

      const second = await announce('too-big.txt', 10, 'text/plain');
      const refused = await putBytes(second.upload_descriptor.url, Buffer.alloc(MAX_BYTES + 1, 'a'), 'text/plain');
      expect(refused.status).toBe(413);
      const error = (await refused.json()).error;
      expect(error.code).toBe('payload_too_large');
      expect(error.message).toContain(`${MAX_BYTES}-byte upload limit`);
    });

    test('the server keeps answering while a large text body streams in', async () => {
      const attachment = await announce('big.txt', MAX_BYTES, 'text/plain');
      const upload = putBytes(attachment.upload_descriptor.url, Buffer.alloc(MAX_BYTES, '{'), 'text/plain');
      expect((await post(running.endpoint, { type: 'threads.list', params: {} }, { 'x-user': 'alice' })).status).toBe(200);
      expect((await upload).status).toBe(200);
    });
  });

  test('a multipart body far over the limit is cut off with a 413, nothing written', async () => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(MAX_BYTES + 256 * 1024)], { type: 'text/plain' }), 'huge.txt');
    const response = await fetch(uploadUrl(), { method: 'POST', body: form, headers: { 'x-user': 'alice' } }).catch((error: Error) => error);
    // The server may answer before it has read the whole body; then the client sees the 413 or a reset.
    if (response instanceof Response) {
      expect(response.status).toBe(413);
      expect((await response.json()).error.message).toContain(`${MAX_BYTES}-byte upload limit`);
    }
    expect((await readdir(dir)).filter((name) => !name.startsWith('.'))).toEqual([]);
  });

  test('a non-multipart direct POST is a 415 naming what to send', async () => {
    for (const [type, body] of [['application/json', '{"file":"x"}'], ['application/json', '{"unterminated'], ['text/plain', 'hello'], ['application/octet-stream', 'raw']] as const) {
      const response = await fetch(uploadUrl(), { method: 'POST', body, headers: { 'x-user': 'alice', 'content-type': type } });
      expect(response.status).toBe(415);
      const json = await response.json();
      expect(json.error.code).toBe('unsupported_media_type');
      expect(json.error.message).toMatch(/multipart\/form-data with a "file" field/);
      expect(json.requestId).toBe(response.headers.get('x-request-id'));
    }
  });

  describe('every answer under the upload routes has the JSON error shape', () => {
    test('an attachment id over 100 characters → 404 in our shape', async () => {
      const id = `atc_${'a'.repeat(300)}`;
      for (const [method, url] of [['PUT', `${uploadUrl()}/${id}`], ['GET', `${uploadUrl()}/${id}/preview`]] as const) {
        const response = await fetch(url, { method, body: method === 'PUT' ? 'x' : undefined, headers: { 'x-user': 'alice' } });
        expect(response.status).toBe(404);
        const json = await response.json();
        expect(json).toEqual({ error: { code: 'not_found', message: expect.any(String) }, requestId: expect.any(String) });
      }
    });

    test('an unknown method → 405 in our shape', async () => {
      const attachment = await announce('cat.png', PNG.length, 'image/png');
      for (const method of ['DELETE', 'PATCH']) {
        const response = await fetch(attachment.upload_descriptor.url, { method, headers: { 'x-user': 'alice' } });
        expect(response.status).toBe(405);
        expect((await response.json()).error.code).toBe('method_not_allowed');
      }
    });
  });

  describe('signed preview URLs expire', () => {
    test('the URL carries its expiry; after it, only the owner can load the image', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      const attachment = await announce('cat.png', PNG.length, 'image/png');
      expect((await putBytes(attachment.upload_descriptor.url, PNG, 'image/png')).status).toBe(200);
      const url = new URL(attachment.preview_url);
      const expires = Number(url.searchParams.get('exp'));
      expect(expires - Math.floor(Date.now() / 1000)).toBe(600);

      const fresh = await fetch(url);
      expect(fresh.status).toBe(200);
      expect(Number(/max-age=(\d+)/.exec(fresh.headers.get('cache-control')!)![1])).toBeLessThanOrEqual(600);

      // A later expiry with the old signature is refused.
      const extended = new URL(url);
      extended.searchParams.set('exp', String(expires + 3600));
      expect((await fetch(extended)).status).toBe(401);

      vi.setSystemTime(Date.now() + 601_000);
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { 'x-user': 'alice' } })).status).toBe(200);
      expect((await fetch(url, { headers: { 'x-user': 'mallory' } })).status).toBe(404);
    });

    test('the default lifetime is 7 days; a lifetime that is not a positive whole number is refused', () => {
      expect(new FileAttachmentStore({ dir }).previewUrlTtlSeconds).toBe(7 * 24 * 3600);
      expect(() => new FileAttachmentStore({ dir, previewUrlTtlSeconds: 0 })).toThrow(/previewUrlTtlSeconds must be a positive whole number/);
    });
  });
});
