/**
 * The network checks against deliberately broken setups over real TCP: a
 * buffering proxy, compression forced on SSE, a missing CORS origin, CORS
 * missing on errors, an open endpoint on a non-local address, a wrong
 * response shape. Each setup is built here; the healthy fixture app next to
 * it shows the check does pass when nothing is broken.
 */
import http from 'node:http';
import { networkInterfaces } from 'node:os';
import zlib from 'node:zlib';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkOf, closeServer, doctor, listen, makeProject, startFixtureApp, type Fixture } from './support.js';

let fixture: Fixture;
let app: Awaited<ReturnType<typeof startFixtureApp>>;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  fixture = makeProject({ '.env': 'CHATKIT_MODEL_PROVIDER=scripted\nCHATKIT_CORS_ORIGINS=http://localhost:5173\n' });
  app = await startFixtureApp(fixture, { CHATKIT_CORS_ORIGINS: 'http://localhost:5173' });
  cleanups.push(() => app.close(), () => fixture.remove());
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A reverse proxy that reads the whole upstream body before answering (what nginx does with buffering on). */
async function bufferingProxy(upstream: string): Promise<string> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = new URL(req.url!, upstream);
      const forward = http.request(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (up) => {
        const body: Buffer[] = [];
        up.on('data', (c: Buffer) => body.push(c));
        up.on('end', () => {
          const all = Buffer.concat(body);
          const headers = { ...up.headers, 'content-length': String(all.length) };
          delete headers['transfer-encoding'];
          res.writeHead(up.statusCode!, headers);
          res.end(all);
        });
      });
      forward.end(Buffer.concat(chunks));
    });
  });
  const base = await listen(server);
  cleanups.push(() => closeServer(server));
  return base;
}

describe('streaming', () => {
  it('passes against the app directly', async () => {
    const { report } = await doctor(['streaming', '--json', '--url', app.base, '--no-local']);
    const check = checkOf(report, 'streaming');
    expect(check.status).toBe('pass');
    expect(check.evidence!.filter((line) => /accept-encoding (identity|gzip|br): 5 frames/.test(line))).toHaveLength(3);
  });

  it('a buffering proxy: fails with the burst signature and names the proxy hop, since the local app streams fine', async () => {
    const proxy = await bufferingProxy(app.base);
    const { code, report } = await doctor(['streaming', '--json', '--cwd', fixture.dir, '--url', proxy]);
    expect(code).toBe(1);
    const check = checkOf(report, 'streaming');
    expect(check.status).toBe('fail');
    expect(check.message).toMatch(/^events are buffered and arrive in one burst \(url\/identity, url\/gzip, url\/br\): the app streams correctly, so the buffering happens between the app and http:\/\/127\.0\.0\.1:\d+\/chatkit\/api/);
    expect(check.evidence).toContainEqual(expect.stringMatching(/^url accept-encoding identity: 5 frames, .*buffered, then delivered in one burst$/));
    expect(check.evidence).toContainEqual(expect.stringMatching(/^local app accept-encoding identity: 5 frames, first after \d+ ms, spread over \d+ ms \(written over 800 ms\)$/));
    expect(check.evidence).toContainEqual(expect.stringMatching(/content-length \(\d+\), so something buffered it whole/));
  });

  it('compression forced on SSE (an app without our plugin that gzips its streams): fails on content-encoding and the gzip burst', async () => {
    const bad = Fastify();
    const frame = (event: object) => `data: ${JSON.stringify(event)}\n\n`;
    const sse = (accept: string | undefined, write: (out: NodeJS.WritableStream) => Promise<void>, res: http.ServerResponse) => {
      const gzip = /gzip/.test(accept ?? '');
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...(gzip ? { 'content-encoding': 'gzip' } : {}) });
      let out: NodeJS.WritableStream = res;
      if (gzip) {
        const z = zlib.createGzip(); // no flush per frame: what a compression middleware does
        z.pipe(res);
        out = z;
      }
      void write(out).then(() => out.end());
    };
    bad.post('/chatkit/api', (request, reply) => {
      reply.hijack();
      sse(request.headers['accept-encoding'], async (out) => {
        out.write(frame({ type: 'thread.created', thread: { id: 'thr_1' } }));
      }, reply.raw);
    });
    bad.get('/chatkit/api/__diagnostics/stream', (request, reply) => {
      reply.hijack();
      sse(request.headers['accept-encoding'], async (out) => {
        for (let index = 0; index < 5; index++) {
          await new Promise((r) => setTimeout(r, 200));
          out.write(frame({ type: 'diagnostics.tick', index }));
        }
      }, reply.raw);
    });
    await bad.listen({ port: 0, host: '127.0.0.1' });
    cleanups.push(() => bad.close());
    const { code, report } = await doctor(['streaming', '--json', '--no-local', '--url', `http://127.0.0.1:${(bad.server.address() as { port: number }).port}`]);
    expect(code).toBe(1);
    const check = checkOf(report, 'streaming');
    expect(check.message).toMatch(/^events are buffered and arrive in one burst \(url\/gzip\)/);
    expect(check.evidence).toContainEqual(expect.stringMatching(/the event stream is compressed \(content-encoding: gzip\)/));
    expect(check.evidence).toContainEqual(expect.stringMatching(/diagnostics stream compressed with gzip for accept-encoding gzip/));
    expect(check.evidence).toContainEqual(expect.stringMatching(/^url accept-encoding identity: 5 frames, first after \d+ ms, spread over \d+ ms \(written over 800 ms\)$/));
  });
});

describe('streaming --long', () => {
  it('an idle timeout on the way: the long stream is cut, and doctor reports when and on which hop', async () => {
    // Answers the short probes properly; cuts the long one (65 s gaps) after its first frame, as an idle timeout would.
    const server = http.createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      const sse = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' };
      if (req.method === 'POST') {
        res.writeHead(200, sse);
        res.end('data: {"type":"thread.created","thread":{"id":"thr_1"}}\n\n');
        return;
      }
      const gapMs = Number(url.searchParams.get('gapMs'));
      res.writeHead(200, sse);
      let index = 0;
      const tick = () => res.write(`data: ${JSON.stringify({ type: 'diagnostics.tick', index: index++ })}\n\n`);
      if (gapMs > 10_000) {
        tick();
        setTimeout(() => res.socket?.destroy(), 50);
        return;
      }
      const timer = setInterval(() => {
        tick();
        if (index === Number(url.searchParams.get('count'))) {
          clearInterval(timer);
          res.end();
        }
      }, gapMs);
    });
    const base = await listen(server);
    cleanups.push(() => closeServer(server));
    const { code, report } = await doctor(['streaming', '--json', '--long', '--no-local', '--url', base]);
    expect(code).toBe(1);
    const check = checkOf(report, 'streaming');
    expect(check.message).toMatch(/^url: a stream with 65 s gaps was cut after 0 s \(an idle timeout on this hop\)$/);
    expect(check.evidence).toContainEqual(expect.stringMatching(/^url: long stream \(4 frames, 65 s apart\) ended after 0 s with 1 frames$/));
    expect(check.fix!.join(' ')).toMatch(/heartbeatMs/);
  });
});

describe('cors', () => {
  it('passes for a configured origin on preflight, request and error', async () => {
    const { report } = await doctor(['cors', '--json', '--no-local', '--url', app.base, '--origin', 'http://localhost:5173']);
    expect(checkOf(report, 'cors')).toMatchObject({ status: 'pass', message: '1 origin allowed on preflight, requests and errors' });
  });

  it('outside a project with --url: the shell has no say on the backend\'s keys, and a skip says how to make it run', async () => {
    const { code, stdout } = await doctor(['keys', 'frontend-config', 'cors', '--url', app.base], { CHATKIT_MODEL_PROVIDER: 'openai' });
    expect(code).toBe(0);
    expect(stdout).toMatch(/○ Provider key \(keys\): not run inside a project \(the backend reads its keys from its own environment\)/);
    expect(stdout).toMatch(/○ Frontend config and domain allowlist \(frontend-config\): not run inside a project/);
    expect(stdout).toMatch(/○ CORS for every frontend origin \(cors\): no frontend origins configured.*\n {6}fix: Set CHATKIT_CORS_ORIGINS=/);
  });

  it('a missing origin: the preflight is refused', async () => {
    const { code, report } = await doctor(['cors', '--json', '--no-local', '--url', app.base, '--origin', 'https://app.example.com']);
    expect(code).toBe(1);
    expect(checkOf(report, 'cors')).toMatchObject({ status: 'fail', message: expect.stringMatching(/^preflight from https:\/\/app\.example\.com is not allowed/) });
  });

  it('CORS missing on errors: a backend that adds CORS headers only to successful answers', async () => {
    const origin = 'http://localhost:5173';
    const bad = Fastify();
    bad.options('/chatkit/api', (_request, reply) => {
      reply.headers({ 'access-control-allow-origin': origin, 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'content-type, authorization' }).code(204).send();
    });
    bad.post('/chatkit/api', (request, reply) => {
      const type = (request.body as { type?: string }).type;
      if (type !== 'threads.list') return reply.code(400).send({ error: { code: 'invalid_request', message: 'type: unknown' } });
      return reply.header('access-control-allow-origin', origin).send({ data: [], has_more: false });
    });
    await bad.listen({ port: 0, host: '127.0.0.1' });
    cleanups.push(() => bad.close());
    const { report } = await doctor(['cors', '--json', '--no-local', '--url', `http://127.0.0.1:${(bad.server.address() as { port: number }).port}`, '--origin', origin]);
    expect(checkOf(report, 'cors')).toMatchObject({
      status: 'fail',
      message: 'the HTTP 400 error response has no CORS headers: the browser will show a CORS error instead of the real one',
      fix: [expect.stringMatching(/a hook that runs for every response, errors included/)],
    });
  });
});

describe('auth', () => {
  const lanAddress = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

  it.skipIf(!lanAddress)('an open endpoint on a non-local address fails; the same app on loopback passes', async () => {
    const open = await startFixtureApp(fixture, {}, '0.0.0.0');
    cleanups.push(() => open.close());
    const remote = await doctor(['auth', '--json', '--no-local', '--url', `http://${lanAddress}:${open.port}`]);
    expect(remote.code).toBe(1);
    expect(checkOf(remote.report, 'auth')).toMatchObject({ status: 'fail', message: `${lanAddress}:${open.port} answers anyone: no auth on a non-local endpoint` });
    const local = await doctor(['auth', '--json', '--no-local', '--url', `http://127.0.0.1:${open.port}`]);
    expect(checkOf(local.report, 'auth').status).toBe('pass');
  });

  it('auth claimed (--auth-header) but the endpoint accepts requests without credentials', async () => {
    const { report } = await doctor(['auth', '--json', '--no-local', '--url', app.base, '--auth-header', 'Bearer t']);
    expect(checkOf(report, 'auth')).toMatchObject({ status: 'fail', message: 'auth is configured but a request without credentials got HTTP 200' });
  });
});

describe('protocol', () => {
  it('passes against the real plugin', async () => {
    const { report } = await doctor(['protocol', '--json', '--no-local', '--url', app.base]);
    expect(checkOf(report, 'protocol').status).toBe('pass');
  });

  it('a wrong response shape: JSON where the event stream is expected', async () => {
    const bad = Fastify();
    bad.post('/chatkit/api', (request, reply) => {
      const body = request.body as { type?: string; params?: { input?: unknown } };
      if (body.type === 'threads.list') return reply.send({ data: [], has_more: false });
      if (body.type === 'threads.create' && !body.params?.input) return reply.code(400).send({ error: { code: 'invalid_request', message: 'params.input: required' } });
      return reply.send({ type: 'thread.created', thread: { id: 'thr_1' } });
    });
    await bad.listen({ port: 0, host: '127.0.0.1' });
    cleanups.push(() => bad.close());
    const { code, report } = await doctor(['protocol', '--json', '--no-local', '--url', `http://127.0.0.1:${(bad.server.address() as { port: number }).port}/chatkit/api`]);
    expect(code).toBe(1);
    expect(checkOf(report, 'protocol')).toMatchObject({ status: 'fail', message: expect.stringMatching(/^threads\.create answered application\/json; charset=utf-8 instead of text\/event-stream/) });
  });

  it('an unreachable backend is a failure naming the refusal and what to do', async () => {
    const server = http.createServer();
    const base = await listen(server);
    await closeServer(server);
    const { code, report } = await doctor(['protocol', '--json', '--no-local', '--url', base]);
    expect(code).toBe(1);
    expect(checkOf(report, 'protocol')).toMatchObject({ status: 'fail', message: expect.stringMatching(/connection refused: is the backend running\?/), fix: ['Start the backend (npm run dev) or check the --url port.'] });
  });
});
