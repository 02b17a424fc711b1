import { afterEach, describe, expect, test } from 'vitest';
import { ScriptedServer } from '../support/scripted-server.js';
import { SseReader, startApp, type Running, DOORS, headerOf, starterFor } from './support.js';

let running: Running | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const streamUrl = (query: string) => `${running!.endpoint}/__diagnostics/stream${query}`;

describe.each(DOORS)('through the %s front door', (door) => {
  const startApp = starterFor(door);

  test('off by default outside development', async () => {
    running = await startApp({ server: new ScriptedServer() });
    expect((await fetch(streamUrl(''))).status).toBe(404);
  });

  test('with a token: refused without it, a deterministic stream with it', async () => {
    running = await startApp({ server: new ScriptedServer(), diagnostics: { token: 'diag-secret' }, cors: { origins: ['https://app.example.com'] } });
    const refused = await fetch(streamUrl('?count=2'));
    expect(refused.status).toBe(401);
    expect((await refused.json()).error.code).toBe('unauthorized');

    const response = await fetch(streamUrl('?count=3&gapMs=5&bytes=16'), {
      headers: { 'x-chatkit-diagnostics-token': 'diag-secret', origin: 'https://app.example.com', via: '1.1 proxy', 'accept-encoding': 'gzip' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    const events = await new SseReader(response).rest();
    expect(events.map((e) => e.type)).toEqual(['diagnostics.start', 'diagnostics.tick', 'diagnostics.tick', 'diagnostics.tick', 'diagnostics.end']);
    expect(events[0]).toMatchObject({ count: 3, gap_ms: 5, bytes: 16, headers: { origin: 'https://app.example.com', via: '1.1 proxy', 'accept-encoding': 'gzip' } });
    expect(events.slice(1, 4).map((e) => e.index)).toEqual([0, 1, 2]);
    expect(events[1]!.padding).toBe('x'.repeat(16));
  });

  test('enabled in development without a token; bad parameters are named', async () => {
    running = await startApp({ server: new ScriptedServer(), diagnostics: { enabled: true } });
    const bad = await fetch(streamUrl('?count=0'));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/^count: expected a whole number from 1 to 1000, received "0"/);
    const events = await new SseReader(await fetch(streamUrl(''))).rest();
    expect(events).toHaveLength(7); // start, 5 ticks, end
  });
});
