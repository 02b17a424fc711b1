/** dev names a frontend origin CORS refuses, once, over a real Fastify app whose CORS allows one origin. */
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { watchCorsRefusals } from '../../src/cli/dev/cors-refusal.js';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** Sends one request and resolves when its answer has been read (the server's `finish` came first). */
function send(port: number, method: string, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, method, path, headers }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    outgoing.on('error', reject);
    outgoing.end(method === 'POST' ? '{}' : undefined);
  });
}

describe('watchCorsRefusals', () => {
  it('warns once per refused origin with the line to put in .env; never for allowed or same-origin pages', async () => {
    app = Fastify();
    // CORS as any plugin answers it: the allowed origin gets access-control-allow-origin, others do not.
    app.addHook('onRequest', async (request, reply) => {
      if (request.headers.origin === 'http://localhost:5173') reply.header('access-control-allow-origin', request.headers.origin);
    });
    app.post('/chatkit/api', async () => ({ ok: true }));
    app.post('/other', async () => ({ ok: true }));
    const printed: string[] = [];
    watchCorsRefusals(app.server, '/chatkit/api', 'http://localhost:5173', (line) => printed.push(line));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;
    const json = { 'content-type': 'application/json' };

    await send(port, 'POST', '/chatkit/api', { ...json, origin: 'http://localhost:5173' });
    await send(port, 'POST', '/chatkit/api', { ...json, origin: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}` });
    await send(port, 'POST', '/chatkit/api', json);
    await send(port, 'POST', '/other', { ...json, origin: 'http://localhost:3000' });
    expect(printed).toEqual([]);

    await send(port, 'OPTIONS', '/chatkit/api', { origin: 'http://localhost:3000', 'access-control-request-method': 'POST' });
    await send(port, 'POST', '/chatkit/api', { ...json, origin: 'http://localhost:3000' });
    expect(printed).toEqual([
      '⚠ a page on http://localhost:3000 called the endpoint, but CORS does not allow that origin: the browser blocks every answer (a blank ChatKit panel). ' +
        'Add it to CHATKIT_CORS_ORIGINS in .env: CHATKIT_CORS_ORIGINS=http://localhost:5173,http://localhost:3000',
    ]);
  });
});
