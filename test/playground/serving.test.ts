/**
 * The plugin's playground option over real TCP: off unless told, the built
 * page, its assets and settings when on, and the development token route
 * only for a JWT project running with NODE_ENV=development.
 */
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jwtVerify } from 'jose';
import Fastify from 'fastify';
import { ChatKitServer, MemoryStore } from '../../src/runtime/index.js';
import { ChatKitPluginConfigError } from '../../src/http/index.js';
import { registerPlaygroundRoutes, resolvePlayground } from '../../src/http/playground.js';
import { startApp, post, type Running } from '../http/support.js';
import { ensurePlaygroundBuilt } from './support/build.js';

class Quiet extends ChatKitServer<any> {
  async *respond() {}
}

const SECRET = 'playground-test-secret-that-is-long-enough';
const running: Running[] = [];
const server = () => {
  const s = new Quiet(new MemoryStore());
  s.logger = { error() {}, warn() {} };
  return s;
};
const start = async (options: Record<string, unknown>) => {
  const app = await startApp({ server: server(), ...options });
  running.push(app);
  return app;
};

let savedEnv: NodeJS.ProcessEnv;
beforeAll(async () => {
  await ensurePlaygroundBuilt();
  savedEnv = { ...process.env };
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.close()));
  process.env = { ...savedEnv };
});

describe('playground option', () => {
  it('is off by default: nothing at / and no settings route', async () => {
    delete process.env.CHATKIT_PLAYGROUND;
    const app = await start({});
    expect(app.app!.chatkit.playgroundPath).toBeUndefined();
    expect((await fetch(`${app.url}/`)).status).toBe(404);
    expect((await fetch(`${app.url}/playground-config.json`)).status).toBe(404);
  });

  it('is turned on by CHATKIT_PLAYGROUND=1 (what dev sets) and off by playground: false', async () => {
    process.env.CHATKIT_PLAYGROUND = '1';
    expect(resolvePlayground(undefined)).toEqual({ path: '/', domainKey: null });
    expect(resolvePlayground(false)).toBeUndefined();
    expect(resolvePlayground({ enabled: false })).toBeUndefined();
    process.env.CHATKIT_PLAYGROUND = 'yes please';
    expect(() => resolvePlayground(undefined)).toThrow(ChatKitPluginConfigError);
    expect(() => resolvePlayground(undefined)).toThrow(/CHATKIT_PLAYGROUND: expected 1 or 0 \(got "yes please"\)/);
  });

  it('serves the built page, its hashed assets and settings without secrets', async () => {
    process.env.NODE_ENV = 'development';
    process.env.VITE_CHATKIT_DOMAIN_KEY = 'domain_pk_test_123';
    const app = await start({ playground: true, auth: { jwt: { secret: SECRET } } });
    const page = await fetch(`${app.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    const script = /src="\.\/(playground-assets\/[\w.-]+\.js)"/.exec(html)?.[1];
    expect(script, 'the page loads its script from playground-assets/').toBeTruthy();
    const asset = await fetch(`${app.url}/${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    // No CDN in what the page loads up front (the CDN view adds ChatKit.js only when opened).
    expect(html).not.toMatch(/https?:\/\//);

    const config = await (await fetch(`${app.url}/playground-config.json`)).json();
    expect(config).toEqual({ apiUrl: '/chatkit/api', uploadUrl: null, twoPhaseUploads: false, auth: 'jwt', tokenUrl: '/playground-token', domainKey: 'domain_pk_test_123' });
    expect(JSON.stringify(config)).not.toContain(SECRET);
    for (const bad of ['/playground-assets/..%2Fpackage.json', '/playground-assets/nope.js']) {
      const response = await fetch(`${app.url}${bad}`);
      expect(response.status).toBe(404);
      expect((await response.json()).error.code).toBe('not_found');
    }
  });

  it('mints a development token for a chosen user, which the endpoint accepts', async () => {
    process.env.NODE_ENV = 'development';
    const app = await start({ playground: true, auth: { jwt: { secret: SECRET, issuer: 'me', audience: ['chat', 'other'] } } });
    const minted = await post(`${app.url}/playground-token`, { userId: 'alice' });
    expect(minted.status).toBe(200);
    const { token } = (await minted.json()) as { token: string };
    const { payload } = await jwtVerify(token, new TextEncoder().encode(SECRET), { issuer: 'me', audience: 'chat' });
    expect(payload.sub).toBe('alice');
    const list = await post(app.endpoint, { type: 'threads.list', params: {} }, { authorization: `Bearer ${token}` });
    expect(list.status).toBe(200);
    const remote = await app.app!.inject({ method: 'POST', url: '/playground-token', payload: { userId: 'alice' }, remoteAddress: '192.168.1.20' });
    expect(remote.statusCode).toBe(403);
    expect(remote.json().error.message).toMatch(/only issued to requests from this machine \(this one came from 192\.168\.1\.20\)/);
    const bad = await post(`${app.url}/playground-token`, { userId: 'no spaces allowed' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/userId: expected 1 to 128 letters/);
  });

  it('has no token route outside development, nor without a JWT secret', async () => {
    process.env.NODE_ENV = 'production';
    const production = await start({ playground: true, auth: { jwt: { secret: SECRET } } });
    expect((await post(`${production.url}/playground-token`, { userId: 'alice' })).status).toBe(404);
    expect((await (await fetch(`${production.url}/playground-config.json`)).json()).tokenUrl).toBeNull();
    process.env.NODE_ENV = 'development';
    const open = await start({ playground: true });
    expect((await post(`${open.url}/playground-token`, { userId: 'alice' })).status).toBe(404);
    expect((await (await fetch(`${open.url}/playground-config.json`)).json()).auth).toBe('none');
  });

  it('leaves an app\'s own GET / alone, and says the playground is not there', async () => {
    const lines: string[] = [];
    const app = Fastify({ logger: { level: 'warn', stream: { write: (line: string) => lines.push(line) } } });
    await app.register((await import('../../src/http/index.js')).default, { server: server(), playground: true });
    app.get('/', async () => 'my landing page');
    await app.ready();
    expect((await app.inject({ method: 'GET', url: '/' })).body).toBe('my landing page');
    expect(app.chatkit.playgroundPath).toBeUndefined();
    expect(lines.join('')).toContain("the app has its own GET /, so the playground page is not served there; pass playground: { path: '/playground/' }");
    expect((await app.inject({ method: 'GET', url: '/playground-config.json' })).statusCode).toBe(200);
    await app.close();
  });

  it('serves under a chosen path, and says clearly when the page was never built', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'playground-unbuilt-'));
    try {
      const app = Fastify();
      await registerPlaygroundRoutes(app, { playground: { path: '/play/', domainKey: null }, apiPath: '/chatkit/api', uploadPath: undefined, twoPhaseUploads: false, auth: undefined, assetsDir: dir });
      const missing = await app.inject({ method: 'GET', url: '/play/' });
      expect(missing.statusCode).toBe(503);
      expect(missing.json().error.message).toMatch(/The playground is not built .*npm run build:playground/);
      await mkdir(join(dir, 'playground-assets'));
      await writeFile(join(dir, 'index.html'), '<!doctype html><title>built</title>');
      expect((await app.inject({ method: 'GET', url: '/play/' })).body).toContain('built');
      const bare = await app.inject({ method: 'GET', url: '/play' });
      expect(bare.statusCode).toBe(308);
      expect(bare.headers.location).toBe('/play/');
      expect((await app.inject({ method: 'GET', url: '/' })).statusCode).toBe(404);
      await app.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

afterAll(async () => {
  await Promise.all(running.splice(0).map((r) => r.close()));
});
