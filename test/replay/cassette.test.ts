import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCassette, writeCassette } from '../../src/cli/cassette/writer.js';
import { readCassette } from '../../src/cli/cassette/reader.js';
import { scanForSecrets, configuredSecrets } from '../../src/cli/cassette/secrets.js';
import { createRecordingFetch } from '../../src/cli/cassette/recording-fetch.js';
import { createReplayingFetch } from '../../src/cli/cassette/replaying-fetch.js';
import { Normalizer, pairIds, remapIds } from '../../src/cli/cassette/normalize.js';
import { structuralDiff, formatDifference } from '../../src/cli/cassette/diff.js';
import { CassetteError } from '../../src/cli/cassette/errors.js';
import type { ModelLine } from '../../src/cli/cassette/format.js';

const KEY = 'sk-proj-abcdefghijklmnopqrstuvwxyz012345';

describe('redaction and the secret scanner', () => {
  it('drops non-allowlisted headers and scrubs keys from bodies and chunks', () => {
    const model: ModelLine = {
      kind: 'model', call: 0, method: 'POST', path: '/v1/responses',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', cookie: 'a=b', 'x-api-key': 'zzz' },
      body: { input: `my key is ${KEY}`, nested: [{ client_secret: 'cs_1234567890' }] },
      response: { status: 200, headers: { 'set-cookie': 'x', 'content-type': 'text/event-stream' }, chunks: [{ t: 1, data: 'AIzaSyA1234567890abcdefghijklmnopqrstuv' }] },
    };
    const cassette = buildCassette([model, { kind: 'request', index: 0, type: 'threads.create', body: { note: 'Bearer abcdefghijkl' } }], { cliVersion: '0.0.0' });
    const text = JSON.stringify(cassette);
    expect(text).not.toContain(KEY);
    expect(text).not.toContain('cookie');
    expect(text).not.toContain('x-api-key');
    expect(text).not.toContain('cs_1234567890');
    expect(text).not.toContain('AIzaSyA');
    expect(text).not.toContain('abcdefghijkl');
    const line = cassette.lines[0] as ModelLine;
    expect(line.headers).toEqual({ 'content-type': 'application/json' });
    expect(cassette.header.redactions).toEqual(expect.arrayContaining(['header-allowlist', 'openai-key', 'gemini-key', 'bearer-token', 'field:client_secret']));
  });

  it('scrubs configured literal secrets and domain keys only when asked', () => {
    const secret = 'my-jwt-signing-secret-value';
    const cassette = buildCassette(
      [{ kind: 'request', index: 0, type: 't', body: { a: `x ${secret} y`, b: 'domain_pk_6789abcdef', c: 'domain_pk_localhost_dev' } }],
      { cliVersion: '0', literals: configuredSecrets({ CHATKIT_JWT_SECRET: secret }), domainKeys: true },
    );
    const text = JSON.stringify(cassette);
    expect(text).not.toContain(secret);
    expect(text).not.toContain('domain_pk_6789abcdef');
    expect(text).toContain('domain_pk_localhost_dev');
  });

  it('reports line and pattern but never the secret itself', () => {
    const findings = scanForSecrets(`{"ok":1}\n{"text":"${KEY}"}\n{"task-abcdefghijklmnopqrstu":1}`);
    expect(findings).toEqual([{ line: 2, pattern: 'openai-key', description: expect.any(String) }]);
    expect(JSON.stringify(findings)).not.toContain(KEY);
  });
});

describe('reading and writing cassettes', () => {
  let dir: string;
  beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'cassette-')); });

  it('round-trips a cassette', async () => {
    const file = join(dir, 'a.cassette.jsonl');
    const cassette = buildCassette([{ kind: 'request', index: 0, type: 'threads.create', body: { x: 1 } }, { kind: 'event', request: 0, t: 3, event: { type: 'thread.created' } }], { cliVersion: '1.2.3' });
    await writeCassette(file, cassette);
    const back = await readCassette(file);
    expect(back).toEqual(cassette);
    expect((await readFile(file, 'utf8')).split('\n')[0]).toContain('"kind":"chatkit-session"');
  });

  it('refuses to write a cassette that still holds a secret', async () => {
    const file = join(dir, 'b.cassette.jsonl');
    const cassette = buildCassette([], { cliVersion: '1' });
    cassette.lines.push({ kind: 'request', index: 0, type: 't', body: KEY });
    await expect(writeCassette(file, cassette)).rejects.toThrow(/line 2: an OpenAI API key/);
    await expect(readFile(file)).rejects.toThrow(/ENOENT/);
  });

  it('refuses to read an injected key, names the line, and does not echo it', async () => {
    const file = join(dir, 'c.cassette.jsonl');
    await writeCassette(file, buildCassette([{ kind: 'request', index: 0, type: 't', body: {} }], { cliVersion: '1' }));
    const text = await readFile(file, 'utf8');
    await writeFile(file, text + JSON.stringify({ kind: 'event', request: 0, t: 0, event: { text: KEY } }) + '\n');
    const error = await readCassette(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CassetteError);
    expect((error as Error).message).toMatch(/line 3: an OpenAI API key \(sk-…\) \[openai-key\]/);
    expect((error as Error).message).not.toContain(KEY);
  });

  it('explains malformed cassettes with the line and field', async () => {
    const file = join(dir, 'd.cassette.jsonl');
    await writeFile(file, '{"kind":"chatkit-session","version":1,"cliVersion":"1","recordedAt":"x","redactions":[]}\n{"kind":"event","request":"zero","t":0}\n');
    await expect(readCassette(file)).rejects.toThrow(/d\.cassette\.jsonl:2: invalid cassette line \(request: /);
    await writeFile(file, 'nope\n');
    await expect(readCassette(file)).rejects.toThrow(/:1: not valid JSON/);
    await expect(readCassette(join(dir, 'missing.jsonl'))).rejects.toThrow(/no such cassette/);
  });

  it('says how to repair a malformed cassette: by hand or by re-recording it', async () => {
    const file = join(dir, 'e.cassette.jsonl');
    await writeFile(file, '\n');
    await expect(readCassette(file)).rejects.toThrow(/empty cassette .*re-record the session with `npx create-chatkit-backend dev --record cassettes`/);
    await writeFile(file, '{"kind":"chatkit-session","version":1,"cliVersion":"1","recordedAt":"x","redactions":[]}\n{"kind":"nope"}\n');
    await expect(readCassette(file)).rejects.toThrow(/:2: invalid cassette line .*fix it by hand, or re-record/);
  });
});

describe('recording and replaying model HTTP', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': 'req_1', 'set-cookie': 'secret=1' });
        res.write(`data: {"n":1,"echo":${body}}\n\n`);
        setTimeout(() => { res.write('data: {"n":2}\n\n'); res.end(); }, 20);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('passes chunks through as they arrive, and replays them without the server', async () => {
    const lines: ModelLine[] = [];
    const recording = createRecordingFetch({ onExchange: (line) => lines.push(line), currentRequest: () => 4 });
    const response = await recording(`${base}/v1/responses`, { method: 'POST', body: '{"q":"hi"}', headers: { authorization: `Bearer ${KEY}` } });
    const reader = response.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    // The first chunk is readable before the server has sent the second one.
    expect(first).toContain('"n":1');
    expect(lines).toHaveLength(0);
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += new TextDecoder().decode(r.value);
    expect(rest).toContain('"n":2');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ call: 0, request: 4, method: 'POST', path: '/v1/responses', body: { q: 'hi' } });
    expect(lines[0].response.chunks.map((c) => c.data).join('')).toBe(first + rest);

    const replay = createReplayingFetch(lines, { rerecordHint: 'create-chatkit-backend dev --record cassettes' });
    const replayed = await replay.fetch('http://elsewhere.invalid/v1/responses', { method: 'POST', body: '{"q":"changed"}' });
    expect(await replayed.text()).toBe(first + rest);
    expect(replay.calls[0].body).toEqual({ q: 'changed' });

    const missing = await replay.fetch('http://elsewhere.invalid/v1/responses', { method: 'POST', body: '{}' });
    expect(missing.status).toBe(400);
    expect(replay.mismatches[0].message).toMatch(/model call #1 \(POST \/responses\) is not in the cassette.*create-chatkit-backend dev --record cassettes/);
  });

  it('rejects a call to a different endpoint', async () => {
    const line: ModelLine = { kind: 'model', call: 0, method: 'POST', path: '/v1/responses', headers: {}, body: {}, response: { status: 200, headers: {}, chunks: [] } };
    const replay = createReplayingFetch([line], { rerecordHint: 'x' });
    const response = await replay.fetch('http://h/v1beta/openai/chat/completions', { method: 'POST', body: '{}' });
    expect(response.status).toBe(400);
    expect(replay.mismatches[0].message).toContain('POST /chat/completions but the cassette recorded POST /responses');
    expect(replay.unused()).toHaveLength(1);
  });
});

describe('normalizing and diffing', () => {
  it('numbers ids by first appearance and hides timestamps', () => {
    const normalizer = new Normalizer();
    const a = normalizer.normalize({ type: 'thread.created', thread: { id: 'thr_abc', created_at: '2026-01-01T00:00:00Z', items: [{ id: 'msg_9', thread_id: 'thr_abc' }] } });
    expect(a).toEqual({ type: 'thread.created', thread: { id: '<thr_1>', created_at: '<timestamp>', items: [{ id: '<msg_1>', thread_id: '<thr_1>' }] } });
    expect(normalizer.normalize({ payload: { ref: 'msg_9' }, item_ids: ['msg_new'] })).toEqual({ payload: { ref: '<msg_1>' }, item_ids: ['<msg_2>'] });
  });

  it('pairs recorded ids with replayed ones and rewrites later requests', () => {
    const ids = new Map<string, string>();
    pairIds({ thread: { id: 'thr_old' }, item: { id: 'msg_old' } }, { thread: { id: 'thr_new' }, item: { id: 'msg_new' } }, ids);
    expect(remapIds({ params: { thread_id: 'thr_old', item_ids: ['msg_old'] } }, ids)).toEqual({ params: { thread_id: 'thr_new', item_ids: ['msg_new'] } });
  });

  it('reports the first differences with their paths', () => {
    const diffs = structuralDiff({ a: [1, { b: 'x' }], c: 1 }, { a: [1, { b: 'y' }, 3], d: 2 });
    expect(diffs.map(formatDifference)).toEqual([
      'a[1].b: expected "x", got "y"',
      'a[2]: unexpected 3',
      'c: missing (expected 1)',
      'd: unexpected 2',
    ]);
    expect(structuralDiff({ x: 1 }, { x: 1 })).toEqual([]);
    expect(structuralDiff([1, 2, 3], [4, 5, 6], 2)).toHaveLength(2);
  });
});

describe('sequence diff', () => {
  it('reports an inserted or removed event once instead of shifting every index', async () => {
    const { diffSequences } = await import('../../src/cli/cassette/diff.js');
    const expected = [{ t: 'a' }, { t: 'b' }, { t: 'c' }];
    expect(diffSequences(expected, [{ t: 'a' }, { t: 'x' }, { t: 'b' }, { t: 'c' }]).map(formatDifference)).toEqual(['events[1]: unexpected {"t":"x"}']);
    expect(diffSequences(expected, [{ t: 'a' }, { t: 'c' }]).map(formatDifference)).toEqual(['events[1]: missing (expected {"t":"b"})']);
    expect(diffSequences(expected, [{ t: 'a' }, { t: 'B' }, { t: 'c' }]).map(formatDifference)).toEqual(['events[1].t: expected "b", got "B"']);
    expect(diffSequences(expected, expected)).toEqual([]);
  });
});

describe('--timing recorded', () => {
  it('waits the recorded gaps between model chunks; fast mode does not', async () => {
    const line: ModelLine = { kind: 'model', call: 0, method: 'POST', path: '/v1/responses', headers: {}, body: {}, response: { status: 200, headers: {}, chunks: [{ t: 10, data: 'a' }, { t: 35, data: 'b' }, { t: 35, data: 'c' }] } };
    for (const [timing, expected] of [['recorded', [10, 25, 0]], ['fast', []]] as const) {
      const waits: number[] = [];
      const replay = createReplayingFetch([line], { rerecordHint: 'x', timing, sleep: async (ms) => { waits.push(ms); } });
      const response = await replay.fetch('http://h/v1/responses', { method: 'POST', body: '{}' });
      expect(await response.text()).toBe('abc');
      expect(waits).toEqual(expected);
    }
  });
});

describe('session recorder', () => {
  it('groups requests by thread, holds uploads for the next thread, and attributes model calls', async () => {
    const { EventEmitter } = await import('node:events');
    const { SessionRecorder } = await import('../../src/cli/cassette/session-recorder.js');
    const observer = new EventEmitter();
    const recorder = new SessionRecorder({ fetch: async () => new Response('data: {}\n\n', { status: 200 }) });
    recorder.attach(observer);
    observer.emit('request', { requestId: 'r0', type: 'attachments.create', body: { type: 'attachments.create' } });
    observer.emit('response', { requestId: 'r0', status: 200, streaming: false });
    observer.emit('request', { requestId: 'r1', type: 'threads.create', body: { type: 'threads.create' } });
    observer.emit('event', { requestId: 'r1', atMs: 1.4, event: { type: 'thread.created', thread: { id: 'thr_a' } } });
    await (await recorder.fetch('http://m/v1/responses', { method: 'POST', body: '{"q":1}' })).text();
    observer.emit('response', { requestId: 'r1', status: 200, streaming: true });
    observer.emit('request', { requestId: 'r2', type: 'threads.list', body: {} });
    observer.emit('request', { requestId: 'r3', type: 'threads.add_user_message', threadId: 'thr_a', body: { type: 'threads.add_user_message' } });
    observer.emit('response', { requestId: 'r3', status: 200, streaming: true });
    observer.emit('request', { requestId: 'r4', type: 'threads.add_user_message', threadId: 'thr_unknown', body: {} });

    expect([...recorder.sessions.keys()]).toEqual(['thr_a']);
    const lines = recorder.sessions.get('thr_a')!.lines();
    expect(lines.map((l) => `${l.kind}:${'type' in l ? l.type : ''}${'request' in l ? l.request : ''}`)).toEqual([
      'request:attachments.create', 'response:0', 'request:threads.create', 'model:1', 'event:1', 'response:1', 'request:threads.add_user_message', 'response:2',
    ]);
    expect(lines.find((l) => l.kind === 'model')).toMatchObject({ call: 0, request: 1, body: { q: 1 } });
  });
});

describe('recorded model settings', () => {
  it('keep the scripted model script (empty when none) so a script set later in .env does not change the replay', async () => {
    const { recordedEnv } = await import('../../src/cli/cassette/format.js');
    expect(recordedEnv({ CHATKIT_MODEL_PROVIDER: 'scripted', CHATKIT_MODEL: 'scripted', CHATKIT_SCRIPT: 'scripts/demo.json' }))
      .toEqual({ CHATKIT_MODEL_PROVIDER: 'scripted', CHATKIT_MODEL: 'scripted', CHATKIT_SCRIPT: 'scripts/demo.json' });
    expect(recordedEnv({ CHATKIT_MODEL_PROVIDER: 'scripted' })).toEqual({ CHATKIT_MODEL_PROVIDER: 'scripted', CHATKIT_SCRIPT: '' });
    // Other providers' replies come from the recorded HTTP traffic: no script.
    expect(recordedEnv({ CHATKIT_MODEL_PROVIDER: 'openai', CHATKIT_SCRIPT: 'x.json', CHATKIT_MODEL_BASE_URL: 'https://u:p@h.example/v1?key=1' }))
      .toEqual({ CHATKIT_MODEL_PROVIDER: 'openai', CHATKIT_MODEL_BASE_URL: 'https://h.example/v1' });
  });
});

describe('event diff readability', () => {
  it('compares events of the same kind and reports dropped ones by their summary, not field by field against another kind', async () => {
    const { diffSequences } = await import('../../src/cli/cassette/diff.js');
    const delta = (d: string) => ({ type: 'thread.item.updated', item_id: 'm', update: { type: 'widget.streaming_text.value_delta', component_id: 'c', delta: d, done: false } });
    const root = (text: string) => ({ type: 'thread.item.updated', item_id: 'm', update: { type: 'widget.root.updated', widget: { type: 'Card', children: [{ type: 'Text', value: text }] } } });
    const recorded = [{ type: 'stream_options' }, delta(' the'), delta(' domain'), delta(' in'), delta(' allowlist.'), root('the domain in allowlist.')];
    const replayed = [{ type: 'stream_options' }, delta(' the'), delta(' domain.'), root('the domain.')];
    expect(diffSequences(recorded, replayed).map(formatDifference)).toEqual([
      'events[2].update.delta: expected " domain", got " domain."',
      'events[3]: missing (expected thread.item.updated widget.streaming_text.value_delta " in")',
      'events[3]: missing (expected thread.item.updated widget.streaming_text.value_delta " allowlist.")',
      'events[3].update.widget.children[0].value: expected "the domain in allowlist.", got "the domain."',
    ]);
  });
});

describe('replay arguments that hold no cassette', () => {
  it('say so plainly (not "invalid cassette"), exit 2, and count no cassettes', async () => {
    const { replayCassettes } = await import('../../src/cli/replay/index.js');
    const { mkdir } = await import('node:fs/promises');
    const root = await mkdtemp(join(tmpdir(), 'replay-args-'));
    await mkdir(join(root, 'src'));
    await writeFile(join(root, 'src', 'app.ts'), 'export async function buildApp() { throw new Error("not needed"); }\n');
    await mkdir(join(root, 'empty'));

    const missing = await replayCassettes([], { cwd: root, env: {} });
    expect(missing.exitCode).toBe(2);
    expect(missing.report).toBe([
      '✗ cassettes: no such file or directory (replay reads ./cassettes by default; pass cassette files or directories)',
      '',
      '1 path(s) held no cassette; record one with `npx create-chatkit-backend dev --record cassettes` (and send a few requests)',
      '',
    ].join('\n'));

    const empty = await replayCassettes(['empty'], { cwd: root, env: {} });
    expect(empty.exitCode).toBe(2);
    expect(empty.report).toContain('✗ empty: no *.cassette.jsonl files in this directory\n');
    expect(empty.report).not.toContain('invalid cassette');
    expect(empty.report).not.toMatch(/\d+\/\d+ cassette/);
    expect(empty.json).toMatchObject({ exitCode: 2, cassettes: [{ file: 'empty', status: 'invalid', unreadablePath: true }] });

    // A project whose buildApp throws is the project's fault (exit 2 in the CLI), not a crash.
    const cassettes = join(root, 'cassettes');
    await mkdir(cassettes);
    await writeCassette(join(cassettes, 'one.cassette.jsonl'), buildCassette([
      { kind: 'request', index: 0, type: 'threads.get_by_id', body: { type: 'threads.get_by_id', params: { thread_id: 'thr_1' } } },
      { kind: 'response', request: 0, status: 404, streaming: false, body: {} },
    ], { cliVersion: '0.0.0' }));
    // Also from a subdirectory of the project: the root is found above it.
    const { ProjectError } = await import('../../src/cli/project/root.js');
    const failing = replayCassettes([], { cwd: join(root, 'src'), env: {} });
    await expect(failing).rejects.toThrow(ProjectError);
    await expect(failing).rejects.toThrow('buildApp() failed: not needed');
  });
});

describe('replay report', () => {
  it('gives the --update hint whenever a cassette differs, even when another one is invalid (exit 2)', async () => {
    const { formatReport, exitCodeOf } = await import('../../src/cli/replay/report.js');
    const result = {
      equal: false, requests: 1, modelCalls: 0, modelErrors: [], modelDifferences: [], unusedModelCalls: 0,
      exchanges: [{ index: 0, type: 'threads.create', differences: [{ path: 'events[1].x', kind: 'changed' as const, expected: 1, actual: 2 }], truncated: true }],
    };
    const outcomes = [
      { file: '/p/cassettes/a.cassette.jsonl', status: 'different' as const, result: result as never },
      { file: '/p/cassettes/b.cassette.jsonl', status: 'invalid' as const, error: 'b.cassette.jsonl:1: not valid JSON' },
    ];
    expect(exitCodeOf(outcomes)).toBe(2);
    const report = formatReport(outcomes, '/p');
    expect(report).toContain('✗ cassettes/a.cassette.jsonl: differs from the recording (1 request(s), 0 model call(s))\n    request #0 threads.create:\n      events[1].x: expected 1, got 2\n      … and more');
    expect(report).toContain('0/2 cassette(s) replayed identically; if the change is intended, run `npm run replay -- --update` (every cassette) or `npx create-chatkit-backend replay --update <cassette>`');
  });
});
