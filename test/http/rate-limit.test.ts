/**
 * The rate limit on streaming requests, over real TCP through both front
 * doors: per user with auth, per client IP without, counted in memory or in
 * the real Redis at 127.0.0.1:6379 (shared by two app instances).
 */
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { MemoryStore } from '../../src/runtime/index.js';
import { RedisRateLimitStore } from '../../src/http/rate-limit/redis/index.js';
import { parseRateLimit } from '../../src/http/index.js';
import type { RateLimitOptions } from '../../src/http/rate-limit/limiter.js';
import { ScriptedServer } from '../support/scripted-server.js';
import { DOORS, headerOf, post, readAll, starterFor, startApp, userInput, type Running } from './support.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const running: Running[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((app) => app.close()));
  await Promise.all(closers.splice(0).map((close) => close()));
});

const byHeader = { verify: (request: { headers: unknown }) => { const user = headerOf(request, 'x-user'); return user ? { userId: user } : null; } };

function send(app: Running, user?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(user ? { 'x-user': user } : {}) };
  const body = JSON.stringify({ type: 'threads.create', params: { input: userInput('hi') } });
  return fetch(app.endpoint, { method: 'POST', headers, body });
}

/** The same streaming request sent from another loopback address (127.0.0.2): another client IP. Answers the status. */
function sendFromOtherAddress(app: Running): Promise<number> {
  const body = JSON.stringify({ type: 'threads.create', params: { input: userInput('hi') } });
  return new Promise((resolve, reject) => {
    const outgoing = request(app.endpoint, { method: 'POST', localAddress: '127.0.0.2', headers: { 'content-type': 'application/json' } }, (answer) => {
      answer.resume();
      answer.on('end', () => resolve(answer.statusCode!));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

async function expectLimited(response: Response) {
  expect(response.status).toBe(429);
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
  const body = await response.json();
  expect(body).toEqual({ error: { code: 'rate_limited', message: expect.stringMatching(/at most 3 per minute; try again in \d+ seconds?/) }, requestId: response.headers.get('x-request-id') });
}

describe.each(DOORS)('through the %s front door', (door) => {
  const start = starterFor(door);
  async function serve(rateLimit: RateLimitOptions, auth = true) {
    const app = await start({ server: new ScriptedServer(new MemoryStore<{ userId: string }>({ ownerOf: (c) => c.userId ?? 'anyone' })), ...(auth ? { auth: byHeader } : {}), rateLimit });
    running.push(app);
    return app;
  }

  test('per user: the request past the limit gets a 429 in the JSON error shape with retry-after; other users and non-streaming requests are not held', async () => {
    const app = await serve({ max: 3 });
    for (let i = 0; i < 3; i++) {
      const response = await send(app, 'alice');
      expect(response.status).toBe(200);
      expect((await readAll(response)).some((event) => event.type === 'thread.created')).toBe(true);
    }
    await expectLimited(await send(app, 'alice'));
    expect((await send(app, 'bob')).status).toBe(200);
    expect((await post(app.endpoint, { type: 'threads.list', params: {} }, { 'x-user': 'alice' })).status).toBe(200);
    // A caller who fails auth is a 401, not a count.
    expect((await send(app)).status).toBe(401);
  });

  test('per client IP without auth: another address is counted apart', async () => {
    const app = await serve({ max: 2 }, false);
    expect((await send(app)).status).toBe(200);
    expect((await send(app)).status).toBe(200);
    const third = await send(app);
    expect(third.status).toBe(429);
    expect((await third.json()).error.code).toBe('rate_limited');
    expect(await sendFromOtherAddress(app)).toBe(200);
  });
});

describe('counters in Redis', () => {
  const admin = new Redis(REDIS_URL);
  afterAll(() => admin.quit());

  test('two instances (one per door) share one limit: it trips at the same count whichever answers', async () => {
    const prefix = `chatkit-test:${randomUUID()}:`;
    const stores = [new RedisRateLimitStore({ url: REDIS_URL, prefix }), new RedisRateLimitStore({ url: REDIS_URL, prefix })];
    closers.push(async () => {
      await Promise.all(stores.map((store) => store.close()));
    });
    const apps = await Promise.all(
      DOORS.map((door, i) =>
        startApp({ server: new ScriptedServer(new MemoryStore<{ userId: string }>({ ownerOf: (c) => c.userId })), auth: byHeader, rateLimit: { max: 3, store: stores[i] } }, { door }),
      ),
    );
    running.push(...apps);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await send(apps[i % 2]!, 'alice');
      statuses.push(response.status);
      if (response.status === 429) await expectLimited(response);
      else await response.arrayBuffer();
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    // The window is an expiring key, so Redis forgets it on its own.
    const ttl = await admin.pttl(`${prefix}user:alice`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(await admin.get(`${prefix}user:alice`)).toBe('5');
  });

  test('concurrent hits on one key are counted exactly (the script is atomic)', async () => {
    const prefix = `chatkit-test:${randomUUID()}:`;
    const store = new RedisRateLimitStore({ url: REDIS_URL, prefix });
    closers.push(() => store.close());
    const counts = (await Promise.all(Array.from({ length: 50 }, () => store.hit('k', 60_000)))).map((hit) => hit.count).sort((a, b) => a - b);
    expect(counts).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  test('when Redis cannot be reached, streaming requests still go through and the failure is logged', async () => {
    const store = new RedisRateLimitStore({ url: 'redis://127.0.0.1:1' });
    closers.push(() => store.close());
    const lines: string[] = [];
    const app = await startApp({ server: new ScriptedServer(), rateLimit: { max: 1, store } }, { log: (line) => lines.push(line) });
    running.push(app);
    expect((await send(app)).status).toBe(200);
    expect((await send(app)).status).toBe(200);
    expect(lines.join('')).toContain('Rate limit counters unavailable');
  });
});

test('CHATKIT_RATE_LIMIT values', () => {
  expect(parseRateLimit('20/min')).toEqual({ max: 20, windowMs: 60_000 });
  expect(parseRateLimit('100/hour')).toEqual({ max: 100, windowMs: 3_600_000 });
  expect(parseRateLimit('5/10s')).toEqual({ max: 5, windowMs: 10_000 });
  expect(parseRateLimit('off')).toBeUndefined();
  expect(parseRateLimit(undefined)).toBeUndefined();
  expect(() => parseRateLimit('lots')).toThrow(/CHATKIT_RATE_LIMIT: cannot read "lots"; write requests per window, e\.g\. "20\/min"/);
  expect(() => parseRateLimit('0/min')).toThrow(/CHATKIT_RATE_LIMIT/);
});

test('a bad rateLimit option fails at start-up with what to change', async () => {
  await expect(startApp({ server: new ScriptedServer(), rateLimit: { max: 0 } })).rejects.toThrow(/rateLimit\.max: expected a positive whole number/);
});
