import Fastify from 'fastify';
import { afterEach, describe, expect, test } from 'vitest';
import chatkit, { UnauthorizedError } from '../../src/http/index.js';
import { MemoryStore } from '../../src/runtime/index.js';
import { ScriptedServer } from '../support/scripted-server.js';
import { SseReader, post, readAll, startApp, userInput, type Running, DOORS, headerOf, starterFor } from './support.js';

const ORIGIN = 'https://app.example.com';
let running: Running | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

/** Auth by an `x-user` header, so the matrix can send requests with and without credentials. */
const headerAuth = {
  verify(request: { headers: unknown }) {
    const user = headerOf(request, 'x-user');
    return user ? { userId: user } : null;
  },
};

async function start(extra: { bodyLimit?: number; store?: MemoryStore<any>; log?: (line: string) => void } = {}) {
  const server = new ScriptedServer(extra.store ?? new MemoryStore());
  running = await startApp(
    {
      server,
      auth: headerAuth,
      bodyLimit: extra.bodyLimit,
      cors: { origins: [ORIGIN, 'http://localhost:5173'], allowedHeaders: ['x-user', 'article-id'], maxAge: 900 },
    },
    { log: extra.log },
  );
  return { server, running };
}

describe.each(DOORS)('through the %s front door', (door) => {
  const startApp = starterFor(door);

  describe('CORS', () => {
    test('preflight from an allowed origin: methods, configured headers, caching', async () => {
      const { running } = await start();
      const response = await fetch(running.endpoint, {
        method: 'OPTIONS',
        headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization,article-id' },
      });
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect(response.headers.get('access-control-allow-methods')).toContain('POST');
      const allowed = response.headers.get('access-control-allow-headers')!.split(/,\s*/);
      expect(allowed).toEqual(expect.arrayContaining(['content-type', 'authorization', 'accept-language', 'x-user', 'article-id']));
      expect(response.headers.get('access-control-max-age')).toBe('900');
      expect(response.headers.get('vary')).toContain('Origin');
    });

    test('a preflight from an origin not in the list gets no CORS headers', async () => {
      const { running } = await start();
      const response = await fetch(running.endpoint, {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      });
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    });

    test('streams carry CORS headers (the plugin writes them past Fastify’s reply)', async () => {
      const { running } = await start();
      const response = await post(running.endpoint, { type: 'threads.create', params: { input: userInput('hi') } }, { origin: ORIGIN, 'x-user': 'u1' });
      expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect(response.headers.get('access-control-expose-headers')).toContain('x-request-id');
      expect((await readAll(response))[0]!.type).toBe('thread.created');
    });
  });

  describe('error matrix: JSON bodies, fitting statuses, CORS headers on every error', () => {
    const cases: { name: string; status: number; code: string; body: unknown; headers?: Record<string, string>; message: RegExp; setup?: 'thread' }[] = [
      { name: 'missing credentials', status: 401, code: 'unauthorized', body: { type: 'threads.list', params: {} }, headers: {}, message: /credentials/i },
      { name: 'invalid JSON', status: 400, code: 'invalid_request', body: '{"type":', message: /^body: invalid JSON/ },
      { name: 'unknown request type', status: 400, code: 'invalid_request', body: { type: 'threads.nope', params: {} }, message: /^type: unknown request type "threads.nope"/ },
      { name: 'a missing field is named', status: 400, code: 'invalid_request', body: { type: 'threads.create', params: { input: { attachments: [], inference_options: {} } } }, message: /^params\.input\.content: required/ },
      { name: 'unknown thread (non-streaming)', status: 404, code: 'not_found', body: { type: 'threads.get_by_id', params: { thread_id: 'thr_nope' } }, message: /thr_nope/ },
      { name: 'unknown thread (streaming, before any byte)', status: 404, code: 'not_found', body: { type: 'threads.add_user_message', params: { thread_id: 'thr_nope', input: userInput('x') } }, message: /thr_nope/ },
      { name: 'no pending client tool call', status: 409, code: 'invalid_state', body: { type: 'threads.add_client_tool_output', params: { thread_id: '<thread>', result: {} } }, message: /not a pending client tool call/, setup: 'thread' },
      { name: 'transcription not implemented', status: 501, code: 'not_implemented', body: { type: 'input.transcribe', params: { audio_base64: 'AAAA', mime_type: 'audio/webm' } }, message: /transcribe\(\)/ },
      { name: 'body too large', status: 413, code: 'payload_too_large', body: { type: 'threads.list', params: {}, metadata: { pad: 'x'.repeat(5000) } }, message: /bodyLimit/ },
    ];

    test.each(cases)('$name → $status', async ({ status, code, body, headers, message, setup }) => {
      const { running } = await start({ bodyLimit: 4096 });
      let payload = body;
      if (setup === 'thread') {
        const created = await readAll(await post(running.endpoint, { type: 'threads.create', params: { input: userInput('hi') } }, { 'x-user': 'u1' }));
        payload = JSON.parse(JSON.stringify(body).replace('<thread>', created[0]!.thread.id));
      }
      const response = await post(running.endpoint, payload, headers ?? { origin: ORIGIN, 'x-user': 'u1' });
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      const json = await response.json();
      expect(json.error.code).toBe(code);
      expect(json.error.message).toMatch(message);
      expect(json.requestId).toBe(response.headers.get('x-request-id'));
      if (headers?.origin !== undefined || !headers) {
        expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      }
    });

    test('wrong method → 405 naming POST; unknown sub-path → JSON 404; both with CORS headers', async () => {
      const { running } = await start();
      const get = await fetch(running.endpoint, { headers: { origin: ORIGIN } });
      expect(get.status).toBe(405);
      expect(get.headers.get('allow')).toBe('POST');
      expect(get.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect((await get.json()).error.message).toMatch(/accepts POST/);
      const missing = await post(`${running.endpoint}/nope`, {}, { origin: ORIGIN });
      expect(missing.status).toBe(404);
      expect(missing.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect((await missing.json()).error).toMatchObject({ code: 'not_found', message: expect.stringMatching(/POST \/chatkit\/api/) });
    });

    test('401 carries CORS headers and WWW-Authenticate so the browser shows the real error', async () => {
      const { running } = await start();
      const requests: unknown[] = [];
      const responses: { status: number; error?: { code: string } }[] = [];
      running.chatkit.observer.on('request', (r) => requests.push(r));
      running.chatkit.observer.on('response', (r) => responses.push(r));
      const response = await post(running.endpoint, { type: 'threads.list', params: {} }, { origin: ORIGIN });
      expect(response.status).toBe(401);
      expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      // The observer reports the outcome but not the unauthenticated body.
      expect(requests).toEqual([]);
      expect(responses).toMatchObject([{ status: 401, type: 'threads.list', error: { code: 'unauthorized' } }]);
    });

    test('500: no stack or secret in the response; logged with the request id the response carries', async () => {
      const logs: string[] = [];
      const store = new MemoryStore();
      store.loadThreads = async () => {
        throw new Error('connect failed: postgres://admin:hunter2@db.internal/prod');
      };
      const { running } = await start({ store, log: (line) => logs.push(line) });
      const response = await post(running.endpoint, { type: 'threads.list', params: {} }, { origin: ORIGIN, 'x-user': 'u1' });
      expect(response.status).toBe(500);
      expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      const text = await response.text();
      expect(text).not.toContain('hunter2');
      expect(text).not.toMatch(/at .*\.ts:\d+/);
      const json = JSON.parse(text);
      expect(json.error.code).toBe('internal_error');
      const requestId = response.headers.get('x-request-id')!;
      expect(json.requestId).toBe(requestId);
      expect(json.error.message).toContain(requestId);
      const logged = logs.map((line) => JSON.parse(line)).find((entry) => entry.level === 50);
      expect(logged.requestId).toBe(requestId);
      expect(logged.err.message).toContain('connect failed');
    });

    test('a verify() that throws UnauthorizedError chooses the message', async () => {
      const server = new ScriptedServer();
      running = await startApp({
        server,
        auth: {
          verify() {
            throw new UnauthorizedError('Session expired; sign in again');
          },
        },
      });
      const response = await post(running.endpoint, { type: 'threads.list', params: {} });
      expect(response.status).toBe(401);
      expect((await response.json()).error.message).toBe('Session expired; sign in again');
    });
  });

  describe.runIf(door === 'fastify')('start-up checks', () => {
    test("'*' together with credentials is refused with a fix", async () => {
      const app = Fastify();
      await expect(app.register(chatkit, { server: new ScriptedServer(), cors: { origins: '*', credentials: true } })).rejects.toThrow(
        /origins '\*' cannot be combined with credentials: true.*List the exact origins/,
      );
    });

    test('an origin with a path or trailing slash is refused, naming it', async () => {
      const app = Fastify();
      await expect(app.register(chatkit, { server: new ScriptedServer(), cors: { origins: ['https://app.example.com/'] } })).rejects.toThrow(
        /"https:\/\/app.example.com\/" is not an origin.*did you mean "https:\/\/app.example.com"/,
      );
    });

    test('no auth outside development is a loud warning', async () => {
      const previous = process.env.NODE_ENV;
      const warnings: Error[] = [];
      const onWarning = (warning: Error) => warnings.push(warning);
      process.on('warning', onWarning);
      process.env.NODE_ENV = 'production';
      try {
        const app = Fastify();
        await app.register(chatkit, { server: new ScriptedServer(), cors: { origins: [ORIGIN] } });
        await app.close();
        await new Promise((resolve) => setImmediate(resolve));
      } finally {
        process.env.NODE_ENV = previous;
        process.off('warning', onWarning);
      }
      expect(warnings.map((w) => w.message).join('\n')).toMatch(/NO AUTHENTICATION/);
    });
  });

  test('the default context carries the user, the locale and the headers without credentials', async () => {
    const seen: any[] = [];
    const server = new ScriptedServer();
    server.respondWith = async function* (_thread, _input, context) {
      seen.push(context);
    };
    running = await startApp({ server, auth: headerAuth });
    const response = await post(running.endpoint, { type: 'threads.create', params: { input: userInput('hi') } }, {
      'x-user': 'u42',
      'accept-language': 'fr-FR,fr;q=0.9',
      authorization: 'Bearer secret-token',
      cookie: 'sid=secret',
    });
    await new SseReader(response).rest();
    expect(seen[0].userId).toBe('u42');
    expect(seen[0].locale).toBe('fr-FR');
    expect(seen[0].headers['x-user']).toBe('u42');
    expect(seen[0].headers.authorization).toBeUndefined();
    expect(seen[0].headers.cookie).toBeUndefined();
  });
});
