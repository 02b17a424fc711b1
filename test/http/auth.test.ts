import { createServer, type Server } from 'node:http';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { MemoryStore } from '../../src/runtime/index.js';
import { ScriptedServer } from '../support/scripted-server.js';
import { post, readAll, startApp, userInput, type Running, DOORS, headerOf, starterFor } from './support.js';

const SECRET = 'a-test-secret-that-is-at-least-32-bytes-long';
const ISSUER = 'https://auth.example.com/';
let running: Running | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

function hmacToken(claims: { sub?: string; iss?: string; exp?: number | string }, secret = SECRET): Promise<string> {
  let jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuedAt();
  if (claims.sub) jwt = jwt.setSubject(claims.sub);
  if (claims.iss) jwt = jwt.setIssuer(claims.iss);
  jwt = jwt.setExpirationTime(claims.exp ?? '5m');
  return jwt.sign(new TextEncoder().encode(secret));
}

async function listThreads(token: string | undefined) {
  const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  return post(running!.endpoint, { type: 'threads.list', params: {} }, headers);
}

describe.each(DOORS)('through the %s front door', (door) => {
  const startApp = starterFor(door);

  describe('JWT with a shared secret', () => {
    type Case = readonly [string, () => Promise<string | undefined>, number, RegExp | undefined];
    test.each<Case>([
      ['good token', async () => hmacToken({ sub: 'alice', iss: ISSUER }), 200, undefined],
      ['bad signature', async () => hmacToken({ sub: 'alice', iss: ISSUER }, 'another-secret-that-is-also-32-bytes!!'), 401, /signature is invalid/],
      ['expired', async () => hmacToken({ sub: 'alice', iss: ISSUER, exp: Math.floor(Date.now() / 1000) - 60 }), 401, /expired/],
      ['wrong issuer', async () => hmacToken({ sub: 'alice', iss: 'https://other.example/' }), 401, /"iss" claim/],
      ['no subject', async () => hmacToken({ iss: ISSUER }), 401, /"sub" claim/],
      ['garbage', async () => 'not.a.jwt', 401, /malformed/],
      ['missing', async () => undefined, 401, /Authorization: Bearer/],
    ])('%s → %i', async (_name, makeToken, status, message) => {
      running = await startApp({ server: new ScriptedServer(), auth: { jwt: { secret: SECRET, issuer: ISSUER } } });
      const token = await makeToken();
      const response = await listThreads(token);
      expect(response.status).toBe(status);
      const json = await response.json();
      if (message) {
        expect(json.error).toMatchObject({ code: 'unauthorized' });
        expect(json.error.message).toMatch(message);
        if (token) expect(json.error.message).not.toContain(token);
      } else {
        expect(json).toEqual({ data: [], has_more: false });
      }
    });

    test('the subject becomes the context user id, and stores isolate by it', async () => {
      const store = new MemoryStore<{ userId: string }>({ ownerOf: (context) => context.userId });
      const server = new ScriptedServer(store);
      const users: string[] = [];
      server.respondWith = async function* (_thread, _input, context) {
        users.push(context.userId);
      };
      running = await startApp({ server, auth: { jwt: { secret: SECRET } } });
      const alice = await hmacToken({ sub: 'alice' });
      await readAll(await post(running.endpoint, { type: 'threads.create', params: { input: userInput('hi') } }, { authorization: `Bearer ${alice}` }));
      expect(users).toEqual(['alice']);
      expect((await (await listThreads(alice)).json()).data).toHaveLength(1);
      expect((await (await listThreads(await hmacToken({ sub: 'bob' }))).json()).data).toHaveLength(0);
    });
  });

  describe('JWT with a JWKS endpoint', () => {
    let jwks: Server;
    let jwksUrl: string;
    let privateKey: CryptoKey;
    let strangerKey: CryptoKey;

    beforeAll(async () => {
      const pair = await generateKeyPair('ES256');
      privateKey = pair.privateKey;
      strangerKey = (await generateKeyPair('ES256')).privateKey;
      const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
      jwks = createServer((_request, response) => {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ keys: [jwk] }));
      });
      await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
      const address = jwks.address();
      jwksUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/.well-known/jwks.json`;
    });
    afterAll(() => new Promise<void>((resolve) => jwks.close(() => resolve())));

    const sign = (key: CryptoKey, exp: string | number = '5m') =>
      new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setSubject('carol').setAudience('chatkit').setExpirationTime(exp).sign(key);

    test('good, wrong key, expired, wrong audience, missing', async () => {
      running = await startApp({ server: new ScriptedServer(), auth: { jwt: { jwksUrl, audience: 'chatkit' } } });
      expect((await listThreads(await sign(privateKey))).status).toBe(200);

      const stranger = await listThreads(await sign(strangerKey));
      expect(stranger.status).toBe(401);
      expect((await stranger.json()).error.message).toMatch(/signature is invalid/);

      const expired = await listThreads(await sign(privateKey, Math.floor(Date.now() / 1000) - 60));
      expect(expired.status).toBe(401);
      expect((await expired.json()).error.message).toMatch(/expired/);

      const wrongAudience = await listThreads(
        await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setSubject('carol').setAudience('other').setExpirationTime('5m').sign(privateKey),
      );
      expect(wrongAudience.status).toBe(401);
      expect((await wrongAudience.json()).error.message).toMatch(/"aud" claim/);

      expect((await listThreads(undefined)).status).toBe(401);
    });
  });

  test('an unreachable or failing JWKS endpoint is a 503, not a 401', async () => {
    const failing = createServer((_request, response) => {
      response.statusCode = 500;
      response.end('oops');
    });
    await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
    const port = (failing.address() as { port: number }).port;
    const { privateKey } = await generateKeyPair('ES256');
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setSubject('dave').setExpirationTime('5m').sign(privateKey);
    try {
      running = await startApp({ server: new ScriptedServer(), auth: { jwt: { jwksUrl: `http://127.0.0.1:${port}/jwks.json` } } });
      const response = await listThreads(token);
      expect(response.status).toBe(503);
      expect((await response.json()).error.code).toBe('auth_unavailable');
    } finally {
      await new Promise<void>((resolve) => failing.close(() => resolve()));
    }
    // And with nothing listening at all.
    await running!.close();
    running = await startApp({ server: new ScriptedServer(), auth: { jwt: { jwksUrl: `http://127.0.0.1:${port}/jwks.json` } } });
    expect((await listThreads(token)).status).toBe(503);
  });

  test.runIf(door === 'fastify')('auth.jwt needs exactly one of secret or jwksUrl', async () => {
    const { default: Fastify } = await import('fastify');
    const { default: chatkit } = await import('../../src/http/index.js');
    await expect(Fastify().register(chatkit, { server: new ScriptedServer(), auth: { jwt: {} } })).rejects.toThrow(/exactly one of secret/);
  });

  describe('the "sub" claim must be a non-empty string', () => {
    const signed = (payload: Record<string, unknown>, expires = true) => {
      let jwt = new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).setIssuedAt();
      if (expires) jwt = jwt.setExpirationTime('5m');
      return jwt.sign(new TextEncoder().encode(SECRET));
    };

    test.each<readonly [string, unknown, RegExp]>([
      ['a number', 1, /must be a non-empty string naming the user, not a number/],
      ['a fraction', 1.5, /not a number/],
      ['true', true, /not a boolean/],
      ['an object', { id: 'alice' }, /not an object/],
      ['an array', ['alice'], /not an array/],
      ['null', null, /not null/],
      ['empty', '', /"sub" claim is empty/],
    ])('sub as %s → 401 saying why', async (_name, sub, message) => {
      running = await startApp({ server: new ScriptedServer(new MemoryStore({ ownerOf: (c: { userId: string }) => c.userId })), auth: { jwt: { secret: SECRET } } });
      const response = await listThreads(await signed({ sub }));
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      const json = await response.json();
      expect(json.error.code).toBe('unauthorized');
      expect(json.error.message).toMatch(message);
    });

    test('requireExp refuses a token without "exp"; without the option it is accepted', async () => {
      running = await startApp({ server: new ScriptedServer(), auth: { jwt: { secret: SECRET, requireExp: true } } });
      const forever = await signed({ sub: 'alice' }, false);
      const refused = await listThreads(forever);
      expect(refused.status).toBe(401);
      expect((await refused.json()).error.message).toBe('The token has no "exp" claim; this server only accepts tokens that expire');
      expect((await listThreads(await signed({ sub: 'alice' }))).status).toBe(200);
      await running.close();

      running = await startApp({ server: new ScriptedServer(), auth: { jwt: { secret: SECRET } } });
      expect((await listThreads(forever)).status).toBe(200);
    });
  });
});
