/**
 * Two instances of a generated project (`--attachments s3 --store postgres
 * --auth jwt`, the scripted model) in two processes, sharing PostgreSQL, a
 * local S3 server and Redis, behind a round-robin proxy written here: every
 * request lands on the other instance than the one before. A whole
 * conversation runs through it (create, stream, two-phase image upload,
 * message with the image, preview, list, delete); the rate limit trips at
 * the same count whichever instance answers; killing one instance
 * mid-stream leaves the other serving and the store consistent.
 *
 * Prints the measured figures (docs/deploy.md quotes them) as one
 * `scale-out figures` line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { SignJWT } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startLocalS3, S3_ACCESS_KEY, S3_SECRET_KEY, type LocalS3 } from '../support/s3-server.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const jwtSecret = 'scale-out-test-secret-long-enough-for-hs256';
const RATE_LIMIT = 4;
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const run = randomUUID().slice(0, 8);

interface Instance {
  name: 'A' | 'B';
  child: ChildProcess;
  port: number;
  alive: boolean;
}

let work: string;
let database: string;
let s3: LocalS3;
let instances: Instance[] = [];
let proxy: Server;
let proxyUrl: string;
/** What docs/deploy.md quotes. */
const figures: Record<string, number> = {};
/** Which instance answered each proxied request, in order. */
const served: string[] = [];

/** The project's node_modules: links to this checkout's packages, and the checkout (just built) as create-chatkit-backend. */
function linkDependencies(project: string): void {
  const modules = join(project, 'node_modules');
  mkdirSync(modules);
  for (const entry of readdirSync(join(repo, 'node_modules'))) {
    if (entry === 'create-chatkit-backend' || entry.startsWith('.')) continue;
    symlinkSync(join(repo, 'node_modules', entry), join(modules, entry));
  }
  symlinkSync(repo, join(modules, 'create-chatkit-backend'));
}

function startInstance(name: Instance['name'], project: string, databaseUrl: string): Promise<Instance> {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    PORT: '0',
    CHATKIT_MODEL_PROVIDER: 'scripted',
    CHATKIT_MODEL: 'scripted',
    CHATKIT_SCRIPT: 'scripts/scale-out.json',
    DATABASE_URL: databaseUrl,
    CHATKIT_JWT_SECRET: jwtSecret,
    CHATKIT_CORS_ORIGINS: 'http://localhost:5173',
    CHATKIT_S3_BUCKET: s3.bucket,
    CHATKIT_S3_ENDPOINT: s3.endpoint,
    CHATKIT_S3_FORCE_PATH_STYLE: '1',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: S3_ACCESS_KEY,
    AWS_SECRET_ACCESS_KEY: S3_SECRET_KEY,
    CHATKIT_RATE_LIMIT: `${RATE_LIMIT}/min`,
    REDIS_URL: redisUrl,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /ChatKit endpoint: http:\/\/127\.0\.0\.1:(\d+)\/chatkit\/api/.exec(output);
      if (match) resolve({ name, child, port: Number(match[1]), alive: true });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`instance ${name} exited (${code}) before listening:\n${output}`)));
  });
}

/** Round robin over the live instances; a request to one that refuses the connection goes to the next. */
function startProxy(): Promise<Server> {
  let next = 0;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const forward = (attempt: number) => {
      const live = instances.filter((instance) => instance.alive);
      const target = live[next++ % live.length]!;
      const outgoing = httpRequest({ host: '127.0.0.1', port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        served.push(target.name);
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('error', () => res.destroy());
      });
      outgoing.on('error', (error: NodeJS.ErrnoException) => {
        if (!res.headersSent && error.code === 'ECONNREFUSED' && attempt < instances.length) {
          target.alive = false;
          forward(attempt + 1);
        } else {
          res.destroy();
        }
      });
      outgoing.end(body);
    };
    forward(0);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function tokenFor(user: string): Promise<string> {
  return new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(user).setExpirationTime('1h').sign(new TextEncoder().encode(jwtSecret));
}

async function call(user: string, body: unknown): Promise<Response> {
  return fetch(`${proxyUrl}/chatkit/api`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(user)}` },
    body: JSON.stringify(body),
  });
}

/** The SSE events of a streamed answer, with the time to the first one. */
async function events(response: Response, started: number): Promise<{ events: any[]; firstEventMs: number; totalMs: number }> {
  const text: string[] = [];
  let firstEventMs = -1;
  const decoder = new TextDecoder();
  for await (const chunk of response.body!) {
    if (firstEventMs < 0) firstEventMs = performance.now() - started;
    text.push(decoder.decode(chunk, { stream: true }));
  }
  const frames = text.join('').split('\n\n').filter((frame) => frame.startsWith('data: '));
  return { events: frames.map((frame) => JSON.parse(frame.slice(6))), firstEventMs, totalMs: performance.now() - started };
}

/** Whether the stream carried a finished assistant message. */
function answered(streamed: any[]): boolean {
  return streamed.some((event) => event.type === 'thread.item.done' && event.item.type === 'assistant_message');
}

const running = (instance: Instance) => instance.child.exitCode === null && instance.child.signalCode === null;

function userInput(text: string, attachments: string[] = []) {
  return { content: [{ type: 'input_text', text }], attachments, inference_options: {} };
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'ccb-scale-out-'));
  // dist/ is built once for the whole run (test/support/global-build.ts).
  await execa(
    process.execPath,
    [join(repo, 'bin', 'create-chatkit-backend.js'), 'app', '--template', 'basic', '--provider', 'scripted', '--store', 'postgres', '--auth', 'jwt', '--attachments', 's3', '--frontend', 'none', '--no-install', '--no-git', '--no-interactive', '--runtime', `file:${repo}`],
    { cwd: work, env: { ...process.env, CI: '1' } },
  );
  const project = join(work, 'app');
  linkDependencies(project);
  mkdirSync(join(project, 'scripts'), { recursive: true });
  const slow = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
  writeFileSync(join(project, 'scripts', 'scale-out.json'), JSON.stringify({ turns: [{ when: 'slowly', text: slow, delayMs: 100 }, { text: 'Noted, thanks.' }] }));

  database = `chatkit_scale_out_${run}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const databaseUrl = new URL(adminUrl);
  databaseUrl.pathname = `/${database}`;

  s3 = await startLocalS3();
  // Both at once: the migrations must run once between them.
  const booting = performance.now();
  instances = await Promise.all([startInstance('A', project, databaseUrl.href), startInstance('B', project, databaseUrl.href)]);
  figures.bothInstancesListeningMs = Math.round(performance.now() - booting);
  proxy = await startProxy();
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}, 180_000);

afterAll(async () => {
  await Promise.all(
    instances.filter(running).map(
      (instance) =>
        new Promise<void>((resolve) => {
          // A graceful stop (streams, the store and Redis closed); killed if it takes too long.
          const force = setTimeout(() => instance.child.kill('SIGKILL'), 10_000);
          instance.child.once('exit', () => {
            clearTimeout(force);
            resolve();
          });
          instance.child.kill('SIGTERM');
        }),
    ),
  );
  await new Promise<void>((resolve) => (proxy ? (proxy.closeAllConnections(), proxy.close(() => resolve())) : resolve()));
  await s3?.close();
  if (database) {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
  await rm(work, { recursive: true, force: true });
});


test('the generated project (S3 store, Redis rate limit) type-checks', async () => {
  const result = await execa(join(repo, 'node_modules', '.bin', 'tsc'), ['--noEmit', '-p', 'tsconfig.json'], { cwd: join(work, 'app'), reject: false, all: true });
  expect(result.all).toBe('');
  expect(result.exitCode).toBe(0);
});

test('a whole conversation, every request on the other instance than the one before', async () => {
  const alice = `alice-${run}`;
  served.length = 0;
  const conversationStarted = performance.now();
  let started = performance.now();
  const created = await events(await call(alice, { type: 'threads.create', params: { input: userInput('hello') } }), started);
  figures.firstEventMs_threadsCreate = Math.round(created.firstEventMs);
  const threadId = created.events.find((event) => event.type === 'thread.created').thread.id as string;
  expect(answered(created.events)).toBe(true);

  const announced = await (await call(alice, { type: 'attachments.create', params: { name: 'pixel.png', size: PNG.length, mime_type: 'image/png' } })).json();
  expect(announced.upload_descriptor.url.startsWith(s3.endpoint)).toBe(true);
  const uploaded = await fetch(announced.upload_descriptor.url, { method: 'PUT', body: PNG, headers: announced.upload_descriptor.headers });
  expect(uploaded.status).toBe(200);

  started = performance.now();
  const replied = await events(await call(alice, { type: 'threads.add_user_message', params: { thread_id: threadId, input: userInput('what is in this picture', [announced.id]) } }), started);
  figures.firstEventMs_addUserMessage = Math.round(replied.firstEventMs);
  const userItem = replied.events.find((event) => event.type === 'thread.item.done' && event.item.type === 'user_message').item;
  expect(userItem.attachments.map((a: { id: string }) => a.id)).toEqual([announced.id]);

  const preview = await fetch(announced.preview_url);
  expect(preview.status).toBe(200);
  expect(Buffer.from(await preview.arrayBuffer())).toEqual(PNG);
  const ownerPreview = await fetch(`${proxyUrl}/chatkit/api/upload/${announced.id}/preview`, { headers: { authorization: `Bearer ${await tokenFor(alice)}` } });
  expect(ownerPreview.status).toBe(200);
  expect(Buffer.from(await ownerPreview.arrayBuffer())).toEqual(PNG);

  const items = await (await call(alice, { type: 'items.list', params: { thread_id: threadId, order: 'asc' } })).json();
  expect(items.data.map((item: { type: string }) => item.type)).toEqual(['user_message', 'assistant_message', 'user_message', 'assistant_message']);
  const threads = await (await call(alice, { type: 'threads.list', params: {} })).json();
  expect(threads.data.map((thread: { id: string }) => thread.id)).toEqual([threadId]);

  expect((await call(alice, { type: 'attachments.delete', params: { attachment_id: announced.id } })).status).toBe(200);
  expect((await fetch(announced.preview_url)).status).toBe(404);
  expect((await call(alice, { type: 'threads.delete', params: { thread_id: threadId } })).status).toBe(200);
  expect((await call(alice, { type: 'threads.get_by_id', params: { thread_id: threadId } })).status).toBe(404);

  // Nine requests through the proxy (the upload and the signed preview go to the bucket), alternating.
  expect(served).toEqual(['A', 'B', 'A', 'B', 'A', 'B', 'A', 'B', 'A']);
  figures.conversationMs = Math.round(performance.now() - conversationStarted);
});

test('the rate limit trips at the same count whichever instance answers', async () => {
  const carol = `carol-${run}`;
  served.length = 0;
  const statuses: number[] = [];
  for (let i = 0; i < RATE_LIMIT + 2; i++) {
    const response = await call(carol, { type: 'threads.create', params: { input: userInput(`hi ${i}`) } });
    statuses.push(response.status);
    if (response.status === 429) {
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await response.json()).error.code).toBe('rate_limited');
    } else {
      await response.arrayBuffer();
    }
  }
  expect(statuses).toEqual([...Array(RATE_LIMIT).fill(200), 429, 429]);
  // The two refusals came from different instances: the count is shared.
  expect(new Set(served.slice(RATE_LIMIT))).toEqual(new Set(['A', 'B']));
  figures.rateLimitTripsAt = RATE_LIMIT + 1;
});

test('killing one instance mid-stream leaves the other serving and the store consistent', async () => {
  const dave = `dave-${run}`;
  served.length = 0;
  const response = await call(dave, { type: 'threads.create', params: { input: userInput('answer slowly please') } });
  const victim = instances.find((instance) => instance.name === served.at(-1))!;
  const survivor = instances.find((instance) => instance !== victim)!;
  const reader = response.body!.getReader();
  let text = '';
  while (!text.includes('assistant_message.content_part.text_delta')) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the stream ended before any delta:\n${text}`);
    text += new TextDecoder().decode(value);
  }
  const threadId = JSON.parse(text.split('\n\n').find((frame) => frame.includes('"thread.created"'))!.slice(6)).thread.id as string;
  const killedAt = performance.now();
  victim.child.kill('SIGKILL');
  await new Promise((resolve) => victim.child.once('exit', resolve));
  // The client sees its stream end early (no thread.item.done for the answer).
  let rest = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      rest += new TextDecoder().decode(value);
    }
  } catch {
    // a reset connection is an early end too
  }
  expect(answered((text + rest).split('\n\n').filter((frame) => frame.startsWith('data: ')).flatMap((frame) => { try { return [JSON.parse(frame.slice(6))]; } catch { return []; } }))).toBe(false);

  served.length = 0;
  const got = await call(dave, { type: 'threads.get_by_id', params: { thread_id: threadId } });
  figures.failoverFirstAnswerMs = Math.round(performance.now() - killedAt);
  expect(got.status).toBe(200);
  const thread = await got.json();
  expect(thread.items.data[0]).toMatchObject({ type: 'user_message', content: [{ type: 'input_text', text: 'answer slowly please' }] });
  // The thread goes on on the survivor.
  const next = await events(await call(dave, { type: 'threads.add_user_message', params: { thread_id: threadId, input: userInput('still there?') } }), performance.now());
  expect(answered(next.events)).toBe(true);
  const items = await (await call(dave, { type: 'items.list', params: { thread_id: threadId, order: 'asc' } })).json();
  const texts = items.data.filter((item: { type: string }) => item.type === 'user_message').map((item: any) => item.content[0].text);
  expect(texts).toEqual(['answer slowly please', 'still there?']);
  expect(items.data.at(-1)).toMatchObject({ type: 'assistant_message', content: [{ text: 'Noted, thanks.' }] });
  expect(new Set(served)).toEqual(new Set([survivor.name]));
  console.log(`scale-out figures ${JSON.stringify(figures)}`);
});
