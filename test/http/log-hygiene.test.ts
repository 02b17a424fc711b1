/**
 * What reaches the logs: no credential from a URL (the diagnostics token, a
 * JWT put in a query string, a preview signature), and a request id on every
 * line about a request, runtime lines included.
 */
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, test } from 'vitest';
import { ScriptedServer } from '../support/scripted-server.js';
import { DOORS, post, readAll, startApp, starterFor, userInput, type Running } from './support.js';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
let running: Running | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

test('credentials in query strings never reach Fastify’s request log', async () => {
  const lines: string[] = [];
  running = await startApp({ server: new ScriptedServer(), diagnostics: { token: 'diag-secret-value' } }, { log: (line) => lines.push(line) });
  const stream = await fetch(`${running.endpoint}/__diagnostics/stream?count=1&token=diag-secret-value`);
  expect(stream.status).toBe(200);
  await stream.text();
  await (await post(`${running.endpoint}?access_token=${JWT}&x=1`, { type: 'threads.list', params: {} })).text();
  await (await post(`${running.endpoint}?whatever=${JWT}`, { type: 'threads.list', params: {} })).text();

  const text = lines.join('');
  expect(text).not.toContain('diag-secret-value');
  expect(text).not.toContain(JWT);
  const urls = lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'incoming request').map((entry) => entry.req.url);
  expect(urls).toEqual([
    '/chatkit/api/__diagnostics/stream?count=1&token=[REDACTED]',
    '/chatkit/api?access_token=[REDACTED]&x=1',
    '/chatkit/api?whatever=[REDACTED]',
  ]);
});

describe.each(DOORS)('through the %s front door', (door) => {
  const startApp = starterFor(door);

  test('the diagnostics token is taken from the header first', async () => {
    running = await startApp({ server: new ScriptedServer(), diagnostics: { token: 'diag-secret-value' } });
    const url = `${running.endpoint}/__diagnostics/stream?count=1`;
    const byHeader = await fetch(`${url}&token=wrong`, { headers: { 'x-chatkit-diagnostics-token': 'diag-secret-value' } });
    expect(byHeader.status).toBe(200);
    await byHeader.text();
    const wrongHeader = await fetch(`${url}&token=diag-secret-value`, { headers: { 'x-chatkit-diagnostics-token': 'wrong' } });
    expect(wrongHeader.status).toBe(401);
    expect((await wrongHeader.json()).error.message).toContain('x-chatkit-diagnostics-token header');
  });

  test('runtime log lines about a request carry its request id', async () => {
    const lines: { obj: Record<string, any>; message?: string }[] = [];
    const server = new ScriptedServer();
    server.respondWith = async function* () {
      throw new Error('the model exploded');
    };
    server.logger = { error: (obj, message) => lines.push({ obj: obj as Record<string, any>, message }), warn() {} };
    running = await startApp({ server });
    const response = await post(running.endpoint, { type: 'threads.create', params: { input: userInput('hi') } });
    const events = await readAll(response);
    expect(events.at(-1)).toMatchObject({ type: 'error', code: 'stream.error' });
    const requestId = response.headers.get('x-request-id');
    const failure = lines.find((line) => line.message?.startsWith('ChatKit handler failed'))!;
    expect(failure.obj.err.message).toBe('the model exploded');
    expect(failure.obj.requestId).toBe(requestId);
  });
});

test('every method other than POST on the Fastify endpoint is a 405 in the JSON shape, TRACE included', async () => {
  running = await startApp({ server: new ScriptedServer() });
  const { port } = new URL(running.url);
  for (const method of ['TRACE', 'DELETE', 'PATCH', 'PUT', 'GET']) {
    const { status, headers, body } = await new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
      const request = httpRequest({ host: '127.0.0.1', port, path: '/chatkit/api', method }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }));
      });
      request.on('error', reject);
      request.end();
    });
    expect(status, method).toBe(405);
    expect(headers.allow).toBe('POST');
    expect(JSON.parse(body)).toEqual({
      error: { code: 'method_not_allowed', message: `The ChatKit endpoint accepts POST with a JSON body, not ${method}` },
      requestId: headers['x-request-id'],
    });
  }
});
